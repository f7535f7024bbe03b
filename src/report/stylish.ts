import type { FileResult, Level, ReportedFinding } from '../findings.js';
import { fixableHint } from './fixable.js';
import { summarize } from './json.js';
import type { Reporter } from './types.js';

type Style = (text: string) => string;

/** ANSI SGR codes: each attribute's opening code and the code that undoes only that attribute. */
const ANSI_CODES = {
  bold: [1, 22],
  dim: [2, 22],
  underline: [4, 24],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;

type Styles = Record<keyof typeof ANSI_CODES, Style>;

function makeStyles(color: boolean): Styles {
  const entries = Object.entries(ANSI_CODES).map(([name, [open, close]]) => {
    const style: Style = color ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
    return [name, style];
  });
  return Object.fromEntries(entries) as Styles;
}

function levelStyle(styles: Styles, level: Level): Style {
  if (level === 'error') return styles.red;
  if (level === 'warning') return styles.yellow;
  return styles.cyan;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function byPosition(a: ReportedFinding, b: ReportedFinding): number {
  return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column;
}

/** The width the report wraps at when the terminal's is not known (output to a file or a pipe). */
export const DEFAULT_COLUMNS = 100;

/** Below this message column width, lines run past the terminal rather than hold a word or two each. */
const MIN_MESSAGE_WIDTH = 30;

/** Characters a terminal shows two columns wide: emoji and East Asian wide and fullwidth ones (as wcwidth). */
const WIDE = new RegExp(
  '[\\p{Extended_Pictographic}\\u1100-\\u115f\\u2e80-\\ua4cf\\uac00-\\ud7a3\\uf900-\\ufaff\\ufe30-\\ufe4f' +
    '\\uff00-\\uff60\\uffe0-\\uffe6\\u{20000}-\\u{3fffd}]',
  'u',
);
/** Combining marks (variation selectors among them) and zero-width characters, which take no column. */
const ZERO_WIDTH = /[\p{M}\u200b-\u200f]/u;

/** How many terminal columns `text` takes. */
export function columnsOf(text: string): number {
  let columns = 0;
  for (const char of text) columns += ZERO_WIDTH.test(char) ? 0 : WIDE.test(char) ? 2 : 1;
  return columns;
}

/**
 * `words` as lines of at most `width` columns, each word joined to the one before it by its separator.
 * A word wider than `width` is cut; none is cut that fits on a line of its own.
 */
function wrap(words: { text: string; separator: string }[], width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const { text, separator } of words) {
    const size = columnsOf(text);
    if (line !== '' && used + separator.length + size <= width) {
      line += separator + text;
      used += separator.length + size;
      continue;
    }
    if (line !== '') lines.push(line);
    [line, used] = ['', 0];
    for (const char of text) {
      const columns = columnsOf(char);
      if (line !== '' && used + columns > width) {
        lines.push(line);
        [line, used] = ['', 0];
      }
      line += char;
      used += columns;
    }
  }
  return [...lines, line];
}

const wordsOf = (text: string) => text.split(/\s+/).filter((word) => word !== '');

/** Prose wrapped at `width`: each line of the text a paragraph of its own. */
function wrapProse(text: string, width: number): string[] {
  return text.split(/\r?\n/).flatMap((paragraph) =>
    wrap(
      wordsOf(paragraph).map((word) => ({ text: word, separator: ' ' })),
      width,
    ),
  );
}

interface Layout {
  styles: Styles;
  /** The terminal's width. */
  columns: number;
  verbose: boolean;
}

/**
 * One finding: position, level, then its first line wrapped at the terminal's width, continuation lines
 * under the message column and the rule id after the message, never split; with --verbose, the
 * explanation below, in the same column, and a blank line.
 */
function formatFinding(finding: ReportedFinding, head: string, indent: number, { styles, columns, verbose }: Layout) {
  const width = Math.max(columns - indent, MIN_MESSAGE_WIDTH);
  const words = wordsOf(finding.message).map((word) => ({ text: word, separator: ' ' }));
  const lines = wrap([...words, { text: finding.ruleId, separator: '  ' }], width);
  // The rule id is the last word of the last line: dim it there.
  const last = lines.length - 1;
  lines[last] = lines[last].slice(0, -finding.ruleId.length) + styles.dim(finding.ruleId);
  const margin = ' '.repeat(indent);
  const explanation = verbose ? [...(finding.detail ? wrapProse(finding.detail, width) : []), ''] : [];
  return [head + lines[0], ...[...lines.slice(1), ...explanation].map((line) => (line ? margin + line : ''))];
}

function formatFile(result: FileResult, layout: Layout): string[] {
  const { styles } = layout;
  const findings = [...result.findings].sort(byPosition);
  const positions = findings.map((finding) => `${finding.range.start.line}:${finding.range.start.column}`);
  const positionWidth = Math.max(...positions.map((position) => position.length));
  const levelWidth = Math.max(...findings.map((finding) => finding.level.length));
  const indent = 2 + positionWidth + 2 + levelWidth + 2;
  const lines = findings.flatMap((finding, index) => {
    const position = styles.dim(positions[index].padEnd(positionWidth));
    const level = levelStyle(styles, finding.level)(finding.level.padEnd(levelWidth));
    return formatFinding(finding, `  ${position}  ${level}  `, indent, layout);
  });
  return [styles.underline(result.path), ...lines, ...(layout.verbose ? [] : [''])];
}

function formatSummary(results: FileResult[], styles: Styles): string[] {
  const { errors, warnings, notes, fixableSafe, fixableUnsafe } = summarize(results);
  const worst: Level = errors > 0 ? 'error' : warnings > 0 ? 'warning' : 'note';
  const style: Style = (text) => levelStyle(styles, worst)(styles.bold(text));
  const counts = `${plural(errors, 'error')}, ${plural(warnings, 'warning')}, ${plural(notes, 'note')}`;
  const lines = [style(`✖ ${plural(errors + warnings + notes, 'problem')} (${counts})`)];
  const hint = fixableHint({ safe: fixableSafe, unsafe: fixableUnsafe });
  if (hint) lines.push(style(`  ${hint}`));
  return lines;
}

/**
 * ESLint-style human output: findings grouped by file, then a count; nothing at all when all is clean.
 * Lines wrap at the terminal's width (`context.columns`); `context.verbose` adds each finding's explanation.
 */
export const stylishReporter: Reporter = (results, context) => {
  const withFindings = results.filter((result) => result.findings.length > 0);
  if (withFindings.length === 0) return '';
  const styles = makeStyles(context.color);
  const layout = { styles, columns: context.columns ?? DEFAULT_COLUMNS, verbose: context.verbose === true };
  const lines = [...withFindings.flatMap((result) => formatFile(result, layout)), ...formatSummary(results, styles)];
  return `${lines.join('\n')}\n`;
};
