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
  /** The terminal's width, which the stylish report wraps at (default: report/stylish.ts DEFAULT_COLUMNS). */
  columns?: number;
  /** Whether the stylish report adds each finding's explanation (`--verbose`). */
  verbose?: boolean;
}

/** A formatter: the whole output for one run, as text. */
export type Reporter = (results: FileResult[], context: ReportContext) => string;
