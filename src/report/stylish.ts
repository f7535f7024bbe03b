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

function formatFile(result: FileResult, styles: Styles): string[] {
  const findings = [...result.findings].sort(byPosition);
  const positions = findings.map((finding) => `${finding.range.start.line}:${finding.range.start.column}`);
  const positionWidth = Math.max(...positions.map((position) => position.length));
  const levelWidth = Math.max(...findings.map((finding) => finding.level.length));
  const lines = findings.map((finding, index) => {
    const position = styles.dim(positions[index].padEnd(positionWidth));
    const level = levelStyle(styles, finding.level)(finding.level.padEnd(levelWidth));
    const message = finding.message.split(/\r?\n/, 1)[0];
    return `  ${position}  ${level}  ${message}  ${styles.dim(finding.ruleId)}`;
  });
  return [styles.underline(result.path), ...lines, ''];
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

/** ESLint-style human output: findings grouped by file, then a count; nothing at all when all is clean. */
export const stylishReporter: Reporter = (results, context) => {
  const withFindings = results.filter((result) => result.findings.length > 0);
  if (withFindings.length === 0) return '';
  const styles = makeStyles(context.color);
  const lines = [...withFindings.flatMap((result) => formatFile(result, styles)), ...formatSummary(results, styles)];
  return `${lines.join('\n')}\n`;
};
