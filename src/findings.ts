/** A position in a workflow file: 1-based line and column (UTF-16 code units), plus the 0-based offset. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A half-open source range [start, end). */
export interface Range {
  start: Position;
  end: Position;
}

export type Level = 'error' | 'warning' | 'note';

export const LEVELS: readonly Level[] = ['note', 'warning', 'error'];

/** How far a rule's findings can be trusted, in SARIF's vocabulary. */
export type Precision = 'very-high' | 'high' | 'medium' | 'low';

export interface RelatedLocation {
  range: Range;
  message: string;
}

/** One text replacement: replace source[start, end) with `text` (offsets into the file's text). */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** `safe` keeps behaviour apart from the issue fixed; `unsafe` needs something outside the file. */
export type FixKind = 'safe' | 'unsafe';

export interface Fix {
  kind: FixKind;
  description: string;
  edits: TextEdit[];
  /**
   * Worked out from everything a job does (the secrets a preflight checks): applied only in a pass
   * where no other fix is left, so that it sees what the other fixes changed.
   */
  last?: boolean;
}

export interface Finding {
  ruleId: string;
  level: Level;
  /**
   * The first line: at most about 120 characters that stand alone (what, where, and what kind of problem),
   * as ESLint and ruff keep theirs. The first line of every report.
   */
  message: string;
  /**
   * The explanation, in Markdown: the finding in full (the whole chain back to the secret, every job and
   * step it names), why it matters and what to do. It stands alone too, so a viewer may show it instead of
   * the first line (SARIF `message.markdown`, `--verbose`, JSON `detail`). None when the first line says all.
   */
  detail?: string;
  range: Range;
  related?: RelatedLocation[];
  fix?: Fix;
  /**
   * The line-content fingerprint of the finding's first line (report/fingerprint.ts), for SARIF and
   * baselines; set by linting, so that results need not keep the file's text. None past the text's end.
   */
  fingerprint?: string;
}

/** A finding as reports show it: whether a fix exists and its kind, not its edits (which can be long). */
export type ReportedFinding = Omit<Finding, 'fix'> & { fix?: Pick<Fix, 'kind'> };

/** What the linter knows about one file after linting it: its findings with their fixes for --fix, or as reported. */
export interface FileResult<F extends ReportedFinding = ReportedFinding> {
  /** Path as given to / shown by the CLI (relative to cwd when possible), with forward slashes. */
  path: string;
  findings: F[];
}
