import type { Finding, Level, Precision, Range, RelatedLocation, Fix, FixKind } from '../findings.js';
import type { Workflow } from '../workflow/model.js';
import type { Facts } from '../analysis/facts.js';
import type { Settings } from '../config/settings.js';

/** A rule's metadata is data: the CLI's --list-rules, the docs and SARIF's rules[] all come from it. */
export interface RuleMeta {
  id: string;
  /** One line, shown in --list-rules and SARIF shortDescription. */
  summary: string;
  /** A paragraph: what the rule finds and why it matters (SARIF fullDescription). */
  description: string;
  level: Level;
  /** GitHub code scanning's security-severity, 0.1 to 10. */
  securitySeverity: number;
  precision: Precision;
  tags: string[];
  /** The kinds of fix its findings may carry (none: `[]`); report() throws on any other kind. */
  fixable: readonly FixKind[];
}

export interface ReportInput {
  at: Range;
  /** The first line, at most about 120 characters, that stands alone (Finding.message). */
  message: string;
  /** The full explanation: the chain, why it matters, the remedy (Finding.detail). */
  detail?: string;
  /** Defaults to the rule's configured level. */
  level?: Level;
  related?: RelatedLocation[];
  fix?: Fix;
}

export interface RuleContext {
  workflow: Workflow;
  facts: Facts;
  /** The config's `settings:` section, over the defaults. */
  settings: Settings;
  report(finding: ReportInput): void;
}

export interface Rule {
  meta: RuleMeta;
  check(context: RuleContext): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

export type { Finding };
