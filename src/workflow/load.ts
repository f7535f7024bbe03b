import { isMap, isScalar, LineCounter } from 'yaml';
import type { Range } from '../findings.js';
import { aliasExpansionProblem, pinAliasTargets } from './aliases.js';
import { buildWorkflow } from './build.js';
import { MAX_EXPRESSION_VALUE_LENGTH, overlongExpressionValues } from './expression-length.js';
import type { Workflow } from './model.js';
import { parseTabIndentedContinuations } from './lenient-yaml.js';
import { parseYaml } from './parse-yaml.js';
import { SourceFile } from './source.js';
import { validateWorkflow } from './validate.js';

/**
 * What loading found: something GitHub refuses to load or run (`syntax-error`), something it loads and
 * ignores (`ignored-key`), or YAML that GitHub reads although the YAML specification forbids it
 * (`non-standard-yaml`).
 */
export interface Diagnostic {
  kind: 'refused' | 'ignored' | 'non-standard';
  message: string;
  range: Range;
  /** The schema's own words for the problem, which unlike the message do not name its place (fixes compare them). */
  problem?: string;
}

export interface LoadedFile {
  file: SourceFile;
  /** Present when the text parsed as YAML into a mapping; rules run on it even if the schema check found errors. */
  workflow?: Workflow;
  diagnostics: Diagnostic[];
}

/**
 * Bounds on what wf-lint reads, so that a hostile or broken file becomes a finding, not a hang or a
 * crash. Scripts have their own bounds: MAX_SCRIPT_LENGTH (analysis/shell/script.ts) and
 * parseBudget (shell-parser/parser.ts).
 */
export interface LoadLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Largest number of nodes the document may expand to through aliases. */
  maxExpandedNodes: number;
  /**
   * Deepest nesting of mappings and sequences, aliases expanded. Real workflows stay under 10; the YAML
   * composer, the schema validator and the model recurse per level.
   */
  maxDepth: number;
}

export const DEFAULT_LIMITS: LoadLimits = { maxFileBytes: 5 * 1024 * 1024, maxExpandedNodes: 100_000, maxDepth: 64 };

/** The text of a file's bytes (BOM kept), or why wf-lint does not read it: too large, binary, not UTF-8. */
export function decodeText(
  bytes: Uint8Array,
  limits: LoadLimits = DEFAULT_LIMITS,
): { text: string } | { problem: string } {
  if (bytes.length > limits.maxFileBytes) {
    const size = formatBytes(bytes.length);
    return { problem: `File is ${size}, over the ${formatBytes(limits.maxFileBytes)} limit; it was not linted.` };
  }
  if (bytes.subarray(0, 8000).includes(0))
    return { problem: 'File is binary (it contains NUL bytes), not a YAML workflow.' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes) };
  } catch {
    return { problem: 'File is not valid UTF-8 text.' };
  }
}

/** Decodes raw bytes; a file decodeText refuses becomes a diagnostic instead of garbage. */
export function decodeWorkflow(path: string, bytes: Uint8Array, limits: LoadLimits = DEFAULT_LIMITS): LoadedFile {
  const decoded = decodeText(bytes, limits);
  if ('text' in decoded) return loadWorkflow(path, decoded.text, limits);
  const file = new SourceFile(path, '');
  return { file, diagnostics: [{ kind: 'refused', message: decoded.problem, range: file.range(0, 0) }] };
}

/** GitHub's own error for an overlong expression value, and the way around it. */
const OVERLONG_ERROR = '"Exceeded max expression length"';
const OVERLONG_REMEDY = 'Pass the expressions through `env:` instead.';

export function loadWorkflow(path: string, rawText: string, limits: LoadLimits = DEFAULT_LIMITS): LoadedFile {
  const hasBom = rawText.charCodeAt(0) === 0xfeff;
  const file = new SourceFile(path, hasBom ? rawText.slice(1) : rawText, hasBom);
  const at = (start: number, end = start) => file.range(start, end);
  if (file.text.trim() === '') {
    return {
      file,
      diagnostics: [
        { kind: 'refused', message: 'File is empty: a workflow needs at least `on:` and `jobs:`.', range: at(0) },
      ],
    };
  }
  const lineCounter = new LineCounter();
  const parsed = parseYaml(file.text, lineCounter, limits.maxDepth);
  if ('tooDeepAt' in parsed) {
    const depth = `${limits.maxDepth} levels of mappings and sequences`;
    return {
      file,
      diagnostics: [
        {
          kind: 'refused',
          message: `YAML nests deeper than ${depth} here; it was not linted.`,
          range: at(parsed.tooDeepAt),
        },
      ],
    };
  }
  let { doc } = parsed;
  const nonStandard: Diagnostic[] = [];
  if (doc.errors.length > 0) {
    const lenient = parseTabIndentedContinuations(file.text, limits.maxDepth);
    if (!lenient) {
      return {
        file,
        diagnostics: doc.errors.map((e) => ({
          kind: 'refused',
          message: `Invalid YAML: ${firstLine(e.message)}`,
          range: at(e.pos[0], e.pos[1]),
        })),
      };
    }
    doc = lenient.doc;
    for (const l of lenient.leniencies)
      nonStandard.push({ kind: 'non-standard', message: l.message, range: at(l.start, l.end) });
  }

  const expansion = aliasExpansionProblem(doc, pinAliasTargets(doc), limits);
  if (expansion) {
    const [start, end] = expansion.at.range ?? [0, 0];
    return { file, diagnostics: [{ kind: 'refused', message: expansion.message, range: at(start, end) }] };
  }
  const root = doc.contents;
  if (!root || !isMap(root)) {
    return {
      file,
      diagnostics: [
        {
          kind: 'refused',
          message: 'Not a GitHub Actions workflow: the document is not a mapping with `on:` and `jobs:`.',
          range: at(root?.range?.[0] ?? 0, root?.range?.[1] ?? 0),
        },
      ],
    };
  }
  const hasKey = (k: string) => root.items.some((p) => isScalar(p.key) && p.key.value === k);
  if (!hasKey('jobs') && !hasKey('on')) {
    return {
      file,
      diagnostics: [
        {
          kind: 'refused',
          message: 'Not a GitHub Actions workflow: it has neither `on:` nor `jobs:`.',
          range: at(root.range?.[0] ?? 0),
        },
      ],
    };
  }
  const workflow = buildWorkflow(doc, file);
  const overlong = overlongExpressionValues(doc, file.text.length).map((value) => {
    const [start] = value.range ?? [0];
    const lineEnd = file.text.indexOf('\n', start);
    const length = String(value.value).length.toLocaleString('en-US');
    const limit = MAX_EXPRESSION_VALUE_LENGTH.toLocaleString('en-US');
    const what = `This value holds a \`\${{ }}\` expression and is ${length} characters long`;
    const refused = `GitHub refuses to load a workflow with such a value over ${limit} characters`;
    return {
      kind: 'refused' as const,
      message: `${what}; ${refused} (${OVERLONG_ERROR}). ${OVERLONG_REMEDY} The schema check was skipped.`,
      range: at(start, lineEnd < 0 ? file.text.length : lineEnd),
    };
  });
  // The schema check is quadratic in such a value (each expression re-reads the text before it), and
  // GitHub stops at it anyway.
  return {
    file,
    workflow,
    diagnostics: [...nonStandard, ...(overlong.length > 0 ? overlong : validateWorkflow(file, doc, lineCounter))],
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
