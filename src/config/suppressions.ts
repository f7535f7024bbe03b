import type { Finding, Range } from '../findings.js';
import { similarNames } from './names.js';

export type DirectiveKind = 'disable-next-line' | 'disable-line' | 'disable-file';

/** An inline `# wf-lint-disable…` comment. */
export interface Directive {
  kind: DirectiveKind;
  /** Rule ids named by the directive; empty means all rules. */
  rules: string[];
  /** 1-based line of the comment. */
  line: number;
  /** The directive comment, from its `#` to the end of its text. */
  range: Range;
  /** Where each entry of `rules` is written, in the same order. */
  ruleRanges: Range[];
  /** The free text after `--`, if any. */
  reason?: string;
}

export interface SuppressionResult {
  /** The findings no directive suppressed. */
  findings: Finding[];
  /** New findings about the directives themselves. */
  problems: Finding[];
}

export const INVALID_DIRECTIVE = 'invalid-directive';
export const UNUSED_DIRECTIVE = 'unused-directive';
const DIRECTIVE_RULE_IDS = new Set([INVALID_DIRECTIVE, UNUSED_DIRECTIVE]);

const KEYWORDS: Record<DirectiveKind, string> = {
  'disable-next-line': 'wf-lint-disable-next-line',
  'disable-line': 'wf-lint-disable-line',
  'disable-file': 'wf-lint-disable',
};
const KIND_BY_KEYWORD = new Map(Object.entries(KEYWORDS).map(([kind, keyword]) => [keyword, kind as DirectiveKind]));

// The `#` must start the line or follow whitespace, so a `#` inside a URL or a word is not a comment.
// Groups: 1 = the comment from `#`, 2 = the keyword, 3 = the arguments (rule ids, then `-- reason`);
// groups 1 and 3 run to the end of the line.
const DIRECTIVE_PATTERN = /(?:^|\s)(#\s*(wf-lint-disable-next-line|wf-lint-disable-line|wf-lint-disable)(?=\s|$)(.*))$/;
const REASON_SEPARATOR = /(?:^|\s)--/;
const RULE_ID = /[^\s,]+/g;

export function parseDirectives(text: string): Directive[] {
  const directives: Directive[] = [];
  let lineStart = 0;
  text.split('\n').forEach((rawLine, index) => {
    const directive = parseDirectiveLine(rawLine.replace(/\r$/, ''), index + 1, lineStart);
    if (directive) directives.push(directive);
    lineStart += rawLine.length + 1;
  });
  return directives;
}

function parseDirectiveLine(lineText: string, line: number, lineStart: number): Directive | undefined {
  const match = DIRECTIVE_PATTERN.exec(lineText);
  if (!match) return undefined;
  const kind = KIND_BY_KEYWORD.get(match[2])!;
  const commentStart = lineText.length - match[1].length;
  if (kind === 'disable-file' && lineText.slice(0, commentStart).trim() !== '') return undefined;

  const rangeOf = (start: number, end: number): Range => ({
    start: { line, column: start + 1, offset: lineStart + start },
    end: { line, column: end + 1, offset: lineStart + end },
  });
  const args = match[3];
  const argsStart = lineText.length - args.length;
  const separator = REASON_SEPARATOR.exec(args);
  const ruleText = separator ? args.slice(0, separator.index) : args;
  const reason = separator ? args.slice(separator.index + separator[0].length).trim() : '';

  const ruleIds = [...ruleText.matchAll(RULE_ID)];
  return {
    kind,
    rules: ruleIds.map((id) => id[0]),
    line,
    range: rangeOf(commentStart, lineText.trimEnd().length),
    ruleRanges: ruleIds.map((id) => rangeOf(argsStart + id.index, argsStart + id.index + id[0].length)),
    reason: reason || undefined,
  };
}

/** What one directive suppresses: one named rule, or every rule when `ruleId` is undefined. */
interface Suppression {
  directive: Directive;
  ruleId?: string;
  /** Where an unused-directive problem points. */
  range: Range;
  used: boolean;
}

export function applySuppressions(
  findings: Finding[],
  directives: Directive[],
  options: { knownRuleIds: Set<string>; reportUnused: boolean },
): SuppressionResult {
  const problems: Finding[] = [];
  const suppressions: Suppression[] = [];
  for (const directive of directives) {
    if (directive.rules.length === 0) {
      suppressions.push({ directive, range: directive.range, used: false });
    }
    directive.rules.forEach((ruleId, index) => {
      const range = directive.ruleRanges[index];
      if (options.knownRuleIds.has(ruleId)) suppressions.push({ directive, ruleId, range, used: false });
      else problems.push(unknownRuleProblem(directive, ruleId, range, options.knownRuleIds));
    });
  }

  const kept = findings.filter((finding) => {
    if (DIRECTIVE_RULE_IDS.has(finding.ruleId)) return true;
    const matching = suppressions.filter((suppression) => suppresses(suppression, finding));
    // Every matching directive counts as used, so overlapping directives are not reported as unused.
    for (const suppression of matching) suppression.used = true;
    return matching.length === 0;
  });

  if (options.reportUnused) {
    problems.push(...suppressions.filter((suppression) => !suppression.used).map(unusedProblem));
  }
  return { findings: kept, problems };
}

function suppresses({ directive, ruleId }: Suppression, finding: Finding): boolean {
  if (ruleId !== undefined && ruleId !== finding.ruleId) return false;
  return directive.kind === 'disable-file' || finding.range.start.line === targetLine(directive);
}

function targetLine(directive: Directive): number {
  return directive.kind === 'disable-next-line' ? directive.line + 1 : directive.line;
}

function unknownRuleProblem(directive: Directive, ruleId: string, range: Range, knownRuleIds: Set<string>): Finding {
  const similar = similarNames(ruleId, knownRuleIds);
  const hint = similar.length === 0 ? '' : ` Did you mean ${similar.map((id) => `"${id}"`).join(' or ')}?`;
  return {
    ruleId: INVALID_DIRECTIVE,
    level: 'error',
    message: `Unknown rule "${ruleId}" in ${KEYWORDS[directive.kind]} directive.${hint}`,
    range,
  };
}

function unusedProblem({ directive, ruleId, range }: Suppression): Finding {
  const forRule = ruleId === undefined ? '' : ` for ${ruleId}`;
  const where = directive.kind === 'disable-file' ? 'in this file' : `on line ${targetLine(directive)}`;
  return {
    ruleId: UNUSED_DIRECTIVE,
    level: 'warning',
    message: `Unused ${KEYWORDS[directive.kind]} directive (no problems were reported${forRule} ${where}).`,
    range,
  };
}
