import type { FileResult } from '../findings.js';
import type { RuleMeta } from '../rules/rule.js';

/** What a reporter knows about a rule: its metadata and documentation, never its code. */
export interface RuleDescriptor extends RuleMeta {
  /** The rule's rules-docs/<id>.md page (Markdown), for SARIF help.markdown. */
  helpMarkdown: string;
  /** Public URL of that page. */
  helpUri: string;
}

export interface ReportContext {
  /** Directory that SARIF artifact URIs are made relative to (the repository root when known). */
  root: string;
  toolVersion: string;
  informationUri: string;
  rules: RuleDescriptor[];
  color: boolean;
}

/** A formatter: the whole output for one run, as text. */
export type Reporter = (results: FileResult[], context: ReportContext) => string;
