import type { FileResult, Level, Range, ReportedFinding } from '../findings.js';
import { countFixable } from './fixable.js';
import type { Reporter } from './types.js';

/** The `--format json` document, version 1; docs/json-format.md describes it for consumers. */
export interface JsonReport {
  version: 1;
  tool: { name: string; version: string };
  files: JsonFile[];
  summary: JsonSummary;
}

export interface JsonFile {
  file: string;
  findings: JsonFinding[];
}

export interface JsonFinding {
  rule: string;
  level: Level;
  /** The first line, which stands alone (at most about 120 characters). */
  message: string;
  /** The explanation, in Markdown: the finding in full, why it matters, what to do; the message when it says all. */
  detail: string;
  start: JsonPosition;
  end: JsonPosition;
  fixAvailable: boolean;
  fixKind: 'safe' | 'unsafe' | null;
  related: JsonRelated[];
}

export interface JsonPosition {
  line: number;
  column: number;
}

export interface JsonRelated {
  message: string;
  start: JsonPosition;
  end: JsonPosition;
}

export interface JsonSummary {
  files: number;
  errors: number;
  warnings: number;
  notes: number;
  /** Findings with a fix: `fixableSafe + fixableUnsafe`. */
  fixable: number;
  /** Findings that `--fix` fixes. */
  fixableSafe: number;
  /** Findings whose fix needs `--fix --unsafe-fixes`. */
  fixableUnsafe: number;
}

/** Counts over all findings; the stylish footer shows the same numbers. */
export function summarize(results: FileResult[]): JsonSummary {
  const { safe, unsafe } = countFixable(results);
  const summary: JsonSummary = {
    files: results.length,
    errors: 0,
    warnings: 0,
    notes: 0,
    fixable: safe + unsafe,
    fixableSafe: safe,
    fixableUnsafe: unsafe,
  };
  for (const finding of results.flatMap((result) => result.findings)) {
    if (finding.level === 'error') summary.errors++;
    else if (finding.level === 'warning') summary.warnings++;
    else summary.notes++;
  }
  return summary;
}

function toJsonRange(range: Range): { start: JsonPosition; end: JsonPosition } {
  return {
    start: { line: range.start.line, column: range.start.column },
    end: { line: range.end.line, column: range.end.column },
  };
}

function toJsonFinding(finding: ReportedFinding): JsonFinding {
  return {
    rule: finding.ruleId,
    level: finding.level,
    message: finding.message,
    detail: finding.detail ?? finding.message,
    ...toJsonRange(finding.range),
    fixAvailable: finding.fix !== undefined,
    fixKind: finding.fix?.kind ?? null,
    related: (finding.related ?? []).map((related) => ({ message: related.message, ...toJsonRange(related.range) })),
  };
}

export const jsonReporter: Reporter = (results, context) => {
  const report: JsonReport = {
    version: 1,
    tool: { name: 'wf-lint', version: context.toolVersion },
    files: results.map((result) => ({ file: result.path, findings: result.findings.map(toJsonFinding) })),
    summary: summarize(results),
  };
  return `${JSON.stringify(report, null, 2)}\n`;
};
