import { Lexer, Parser } from '@actions/expressions';
import type { Expr } from '@actions/expressions';
import {
  Binary,
  ContextAccess,
  FunctionCall,
  Grouping,
  IndexAccess,
  Literal,
  Logical,
  Unary,
} from '@actions/expressions/ast';
import type { Range } from '../findings.js';
import type { OffsetMap } from './scalar-map.js';
import type { SourceFile } from './source.js';

/** A reference to a context value inside an expression, e.g. `secrets.DB_PASSWORD`. */
export interface ExprRef {
  /** Lower-cased context name: secrets, env, steps, needs, inputs, vars, github, matrix, ... */
  context: string;
  /** Property path after the context; `null` marks a dynamic index such as `secrets[matrix.name]`. */
  path: (string | null)[];
  /** The enclosing function calls, innermost first (e.g. ['fromjson']), for taint decisions. */
  via: string[];
  range: Range;
  /** The dynamic indexes of the path, in order: `matrix.name` of `secrets[matrix.name]`, with its references. */
  indexes?: DynamicIndex[];
}

/** A computed index (`secrets[format('{0}_KEY', inputs.env)]`): its text, its range, and the references in it. */
export interface DynamicIndex {
  text: string;
  range: Range;
  refs: ExprRef[];
  /** The references whose value can become the index itself (see ExprSpan.valueRefs). */
  valueRefs: ExprRef[];
}

/** One `${{ … }}` occurrence (or an implicit `if:` expression) with its references. */
export interface ExprSpan {
  /** The expression text between the braces, trimmed. */
  text: string;
  /** Index range of the whole `${{ … }}` in the scalar's value. */
  valueStart: number;
  valueEnd: number;
  range: Range;
  refs: ExprRef[];
  /**
   * The references whose value can become the expression's value, not those only tested: `matrix.a` and
   * `env.B` of `format('{0}_{1}', matrix.a, env.B)`, neither of `github.ref == 'x' && 'A' || 'B'`.
   */
  valueRefs: ExprRef[];
}

const CONTEXTS = [
  'github',
  'env',
  'vars',
  'job',
  'jobs',
  'steps',
  'runner',
  'secrets',
  'strategy',
  'matrix',
  'needs',
  'inputs',
];
const FUNCTIONS = [
  { name: 'success', minArgs: 0, maxArgs: 0 },
  { name: 'always', minArgs: 0, maxArgs: 0 },
  { name: 'cancelled', minArgs: 0, maxArgs: 0 },
  { name: 'failure', minArgs: 0, maxArgs: 255 },
  { name: 'hashFiles', minArgs: 1, maxArgs: 255 },
];

/** Finds every `${{ … }}` in a scalar value, parses it and maps its references to file positions. */
export function findExpressions(value: string, map: OffsetMap, file: SourceFile): ExprSpan[] {
  const spans: ExprSpan[] = [];
  let from = 0;
  for (;;) {
    const open = value.indexOf('${{', from);
    if (open < 0) break;
    const close = value.indexOf('}}', open + 3);
    const end = close < 0 ? value.length : close + 2;
    spans.push(makeSpan(value, open + 3, close < 0 ? value.length : close, open, end, map, file));
    from = end;
  }
  return spans;
}

/** `if:` conditions are expressions even without `${{ }}`. */
export function parseCondition(value: string, map: OffsetMap, file: SourceFile): ExprSpan[] {
  if (value.includes('${{')) return findExpressions(value, map, file);
  return [makeSpan(value, 0, value.length, 0, value.length, map, file)];
}

function makeSpan(
  value: string,
  innerStart: number,
  innerEnd: number,
  start: number,
  end: number,
  map: OffsetMap,
  file: SourceFile,
): ExprSpan {
  const inner = value.slice(innerStart, innerEnd);
  const rangeOf = (from: number, to: number) => file.range(map(innerStart + from), map(innerStart + to - 1) + 1);
  const { refs: local, valueRefs } = collectRefs(inner);
  const refs: ExprRef[] = local.map(({ context, path, via, from, to }) => ({
    context,
    path,
    via,
    range: rangeOf(from, to),
  }));
  local.forEach(({ indexes }, i) => {
    if (indexes.length > 0)
      refs[i].indexes = indexes.map((x) => ({
        text: inner.slice(x.from, x.to),
        range: rangeOf(x.from, x.to),
        refs: x.refs.map((k) => refs[k]),
        valueRefs: x.valueRefs.map((k) => refs[k]),
      }));
  });
  return {
    text: inner.trim(),
    valueStart: start,
    valueEnd: end,
    range: file.range(map(start), map(end - 1) + 1),
    refs,
    valueRefs: valueRefs.map((k) => refs[k]),
  };
}

interface LocalRef {
  context: string;
  path: (string | null)[];
  via: string[];
  from: number;
  to: number;
  /** Dynamic indexes: their text range, and the positions in the list of the references inside them. */
  indexes: { from: number; to: number; refs: number[]; valueRefs: number[] }[];
}

/** The references of an expression, and (as positions in that list) those whose value can become its value. */
function collectRefs(expression: string): { refs: LocalRef[]; valueRefs: number[] } {
  // The parser returns no tree at all for an empty expression (`${{ }}`, or `${{` at the end of a value).
  if (expression.trim() === '') return { refs: [], valueRefs: [] };
  let ast: Expr;
  try {
    // The lexer throws too, on a character no expression may hold (`=`, an unclosed quote).
    ast = new Parser(new Lexer(expression).lex().tokens, CONTEXTS, FUNCTIONS).parse();
  } catch {
    const refs = scanRefs(expression);
    return { refs, valueRefs: refs.map((_, k) => k) };
  }
  const lineStarts = [0];
  for (let i = 0; i < expression.length; i++) if (expression[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; column: number }) => (lineStarts[p.line] ?? 0) + p.column;
  const refs: LocalRef[] = [];
  const chains = new Map<Expr, number>();
  const valueRefsOf = (node: Expr) => valueChains(node).flatMap((n) => chains.get(n) ?? []);

  const visit = (node: Expr, via: string[]): void => {
    const chain = accessChain(node);
    if (chain) {
      chains.set(node, refs.length);
      const last = chain.lastToken;
      let to = offset(last.range.end);
      if (chain.bracketed) {
        const close = expression.indexOf(']', to);
        if (close >= 0) to = close + 1;
      }
      const ref: LocalRef = {
        context: chain.context.toLowerCase(),
        path: chain.path,
        via,
        from: offset(chain.first.range.start),
        to,
        indexes: [],
      };
      refs.push(ref);
      for (const dynamic of chain.dynamicIndexes) {
        const first = refs.length;
        visit(dynamic, via);
        const token = firstToken(dynamic);
        const bounds = token && indexBounds(expression, offset(token.range.start));
        if (bounds)
          ref.indexes.push({
            ...bounds,
            refs: refs.slice(first).map((_, k) => first + k),
            valueRefs: valueRefsOf(dynamic),
          });
      }
      return;
    }
    if (node instanceof FunctionCall) {
      const inner = [node.functionName.lexeme.toLowerCase(), ...via];
      for (const arg of node.args) visit(arg, inner);
      return;
    }
    if (node instanceof IndexAccess) {
      visit(node.expr, via);
      visit(node.index, via);
      return;
    }
    for (const child of childrenOf(node)) visit(child, via);
  };
  visit(ast, []);
  return { refs, valueRefs: valueRefsOf(ast) };
}

/** Functions whose result is a boolean, whatever their arguments. */
const PREDICATES = new Set(['contains', 'startswith', 'endswith', 'success', 'always', 'cancelled', 'failure']);

/**
 * The reference chains whose value can become the value of `node`: `a && b` is a falsy value of `a`
 * (false, 0, '', null: no name) or `b`; `a || b` a truthy value of `a` or `b`; comparisons and `!` are
 * booleans; other functions are computed from their arguments.
 */
function valueChains(node: Expr): Expr[] {
  if (accessChain(node)) return [node];
  if (node instanceof Grouping) return valueChains(node.group);
  if (node instanceof Logical)
    return node.operator.lexeme === '&&'
      ? valueChains(node.args[node.args.length - 1])
      : node.args.flatMap(valueChains);
  if (node instanceof FunctionCall)
    return PREDICATES.has(node.functionName.lexeme.toLowerCase()) ? [] : node.args.flatMap(valueChains);
  if (node instanceof Binary || node instanceof Unary || node instanceof Literal) return [];
  return childrenOf(node).flatMap(valueChains);
}

/**
 * The text between the brackets of an index whose expression starts at `start`: back to its `[` (over
 * spaces and opening parentheses), then on to the matching `]`, skipping quoted strings.
 */
function indexBounds(expression: string, start: number): { from: number; to: number } | undefined {
  let open = start - 1;
  while (open >= 0 && /[\s(]/.test(expression[open])) open--;
  if (expression[open] !== '[') return undefined;
  let depth = 0;
  for (let i = open; i < expression.length; i++) {
    const c = expression[i];
    if (c === "'") i = expression.indexOf("'", i + 1) < 0 ? expression.length : expression.indexOf("'", i + 1);
    else if (c === '[') depth++;
    else if (c === ']' && --depth === 0) {
      const text = expression.slice(open + 1, i);
      const from = open + 1 + (text.length - text.trimStart().length);
      return { from, to: open + 1 + text.trimEnd().length };
    }
  }
  return undefined;
}

/** The first token of an expression node, in source order. */
function firstToken(node: Expr): LexToken | undefined {
  const tokens: LexToken[] = [];
  const collect = (value: unknown, depth: number): void => {
    if (!value || typeof value !== 'object' || depth > 64) return;
    if ('lexeme' in value && 'range' in value) tokens.push(value as LexToken);
    else for (const v of Object.values(value)) collect(v, depth + 1);
  };
  collect(node, 0);
  const at = (t: LexToken) => t.range.start.line * 1e6 + t.range.start.column;
  return tokens.reduce<LexToken | undefined>((a, b) => (a && at(a) <= at(b) ? a : b), undefined);
}

type LexToken = { range: { start: { line: number; column: number }; end: { line: number; column: number } } };

interface Chain {
  context: string;
  path: (string | null)[];
  first: LexToken;
  lastToken: LexToken;
  bracketed: boolean;
  dynamicIndexes: Expr[];
}

/** `secrets.X`, `steps.a.outputs['b']`, `secrets[matrix.k]`: a context followed by index accesses. */
function accessChain(node: Expr): Chain | undefined {
  if (node instanceof ContextAccess) {
    return {
      context: node.name.lexeme,
      path: [],
      first: node.name,
      lastToken: node.name,
      bracketed: false,
      dynamicIndexes: [],
    };
  }
  if (!(node instanceof IndexAccess)) return undefined;
  const base = accessChain(node.expr);
  if (!base) return undefined;
  if (node.index instanceof Literal && typeof node.index.literal.coerceString === 'function') {
    const token = node.index.token;
    return {
      ...base,
      path: [...base.path, node.index.literal.coerceString()],
      lastToken: token,
      bracketed: token.type === 18,
    };
  }
  return { ...base, path: [...base.path, null], bracketed: true, dynamicIndexes: [...base.dynamicIndexes, node.index] };
}

function childrenOf(node: Expr): Expr[] {
  const n = node as unknown as Record<string, unknown>;
  const out: Expr[] = [];
  for (const key of ['expr', 'left', 'right', 'group', 'index']) {
    const v = n[key];
    if (v && typeof v === 'object' && 'accept' in v) out.push(v as Expr);
  }
  if (Array.isArray(n.args)) out.push(...(n.args as Expr[]));
  return out;
}

/** `.name` and `['name']` accesses after a context. */
const PROPERTY_PATH = /(?:\.[A-Za-z_][\w-]*|\[\s*'[^']*'\s*\])*/;
const REF_PATTERN = new RegExp(`\\b(${CONTEXTS.join('|')})(${PROPERTY_PATH.source})`, 'gi');

/** Fallback for expressions the parser rejects: references are still found, so taint is not lost. */
function scanRefs(expression: string): LocalRef[] {
  const refs: LocalRef[] = [];
  for (const m of expression.matchAll(REF_PATTERN)) {
    const before = m.index > 0 ? expression[m.index - 1] : '';
    if (before === '.' || before === "'" || /[\w-]/.test(before)) continue;
    const path = [...m[2].matchAll(/\.([\w-]+)|\[\s*'([^']*)'\s*\]/g)].map((p) => p[1] ?? p[2]);
    refs.push({ context: m[1].toLowerCase(), path, via: [], from: m.index, to: m.index + m[0].length, indexes: [] });
  }
  return refs;
}

/** The words of an expression as the lexer reads them, without `${{ }}` and outer parentheses; none if it cannot. */
function lexemes(condition: string): string[] | undefined {
  const bare = condition.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1');
  let words: string[];
  try {
    words = new Lexer(bare).lex().tokens.map((t) => t.lexeme.toLowerCase());
  } catch {
    return undefined;
  }
  words = words.filter((w) => w !== '');
  while (words[0] === '(' && words.at(-1) === ')' && balanced(words.slice(1, -1))) words = words.slice(1, -1);
  return words;
}

function balanced(words: string[]): boolean {
  let depth = 0;
  for (const w of words) if ((depth += w === '(' ? 1 : w === ')' ? -1 : 0) < 0) return false;
  return depth === 0;
}

const COMPARISONS: Record<string, string> = { '==': '!=', '!=': '==' };
const OPERATORS = new Set(['==', '!=', '<', '<=', '>', '>=', '&&', '||', '!']);

/**
 * Whether two conditions are each other's negation, so that one of them holds in every run: `x == 'a'`
 * and `x != 'a'`, or `c` and `!c` (`!(c)`). Only these forms; anything else is not known to be.
 */
export function complementary(a: string, b: string): boolean {
  const [x, y] = [lexemes(a), lexemes(b)];
  if (!x || !y || x.length === 0 || y.length === 0) return false;
  // `!` binds tighter than any operator: `!c` negates `c` only when `c` is one term.
  const negated = (p: string[], q: string[]) =>
    q[0] === '!' &&
    (q.slice(1).join(' ') === ['(', ...p, ')'].join(' ') ||
      (!p.some((w) => OPERATORS.has(w)) && q.slice(1).join(' ') === p.join(' ')));
  if (negated(x, y) || negated(y, x)) return true;
  const operators = x.filter((w) => OPERATORS.has(w));
  if (operators.length !== 1 || !(operators[0] in COMPARISONS) || x.length !== y.length) return false;
  return x.every((w, i) => (w in COMPARISONS ? y[i] === COMPARISONS[w] : y[i] === w));
}

/** Whether two of the conditions are each other's negation (complementary): between them they hold in every run. */
export function anyComplementary(conditions: string[]): boolean {
  return conditions.some((a, i) => conditions.slice(i + 1).some((b) => complementary(a, b)));
}
