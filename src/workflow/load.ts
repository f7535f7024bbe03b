import { isAlias, isCollection, isMap, isPair, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { Range } from '../findings.js';
import { buildWorkflow } from './build.js';
import type { Workflow } from './model.js';
import { SourceFile } from './source.js';
import { validateWorkflow } from './validate.js';

/** A problem that makes (part of) a file unreadable as a workflow; reported as `syntax-error`. */
export interface Diagnostic {
  message: string;
  range: Range;
}

export interface LoadedFile {
  file: SourceFile;
  /** Present when the text parsed as YAML into a mapping; rules run on it even if the schema check found errors. */
  workflow?: Workflow;
  diagnostics: Diagnostic[];
}

export interface LoadLimits {
  /** Largest file accepted, in bytes. */
  maxFileBytes: number;
  /** Largest number of nodes the document may expand to through aliases. */
  maxExpandedNodes: number;
}

export const DEFAULT_LIMITS: LoadLimits = { maxFileBytes: 5 * 1024 * 1024, maxExpandedNodes: 100_000 };

/** Decodes raw bytes; binary or non-UTF-8 content becomes a diagnostic instead of garbage. */
export function decodeWorkflow(path: string, bytes: Uint8Array, limits: LoadLimits = DEFAULT_LIMITS): LoadedFile {
  const fail = (message: string): LoadedFile => {
    const file = new SourceFile(path, '');
    return { file, diagnostics: [{ message, range: file.range(0, 0) }] };
  };
  if (bytes.length > limits.maxFileBytes) {
    return fail(`File is ${formatBytes(bytes.length)}, over the ${formatBytes(limits.maxFileBytes)} limit; it was not linted.`);
  }
  if (bytes.subarray(0, 8000).includes(0)) return fail('File is binary (it contains NUL bytes), not a YAML workflow.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return fail('File is not valid UTF-8 text.');
  }
  return loadWorkflow(path, text, limits);
}

export function loadWorkflow(path: string, rawText: string, limits: LoadLimits = DEFAULT_LIMITS): LoadedFile {
  const hasBom = rawText.charCodeAt(0) === 0xfeff;
  const file = new SourceFile(path, hasBom ? rawText.slice(1) : rawText, hasBom);
  const at = (start: number, end = start) => file.range(start, end);
  if (file.text.trim() === '') {
    return { file, diagnostics: [{ message: 'File is empty: a workflow needs at least `on:` and `jobs:`.', range: at(0) }] };
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(file.text, { keepSourceTokens: true, lineCounter, uniqueKeys: false, prettyErrors: false });
  const yamlErrors = doc.errors.map((e) => ({ message: `Invalid YAML: ${firstLine(e.message)}`, range: at(e.pos[0], e.pos[1]) }));
  if (yamlErrors.length > 0) return { file, diagnostics: yamlErrors };

  const expansion = aliasExpansion(doc, limits.maxExpandedNodes);
  if (expansion.size > limits.maxExpandedNodes) {
    const [start, end] = expansion.firstAlias?.range ?? [0, 0];
    return {
      file,
      diagnostics: [{ message: `YAML aliases expand this document past ${limits.maxExpandedNodes.toLocaleString('en-US')} nodes (an alias bomb?); it was not linted.`, range: at(start, end) }],
    };
  }
  const root = doc.contents;
  if (!root || !isMap(root)) {
    return { file, diagnostics: [{ message: 'Not a GitHub Actions workflow: the document is not a mapping with `on:` and `jobs:`.', range: at(root?.range?.[0] ?? 0, root?.range?.[1] ?? 0) }] };
  }
  const hasKey = (k: string) => root.items.some((p) => isScalar(p.key) && p.key.value === k);
  if (!hasKey('jobs') && !hasKey('on')) {
    return { file, diagnostics: [{ message: 'Not a GitHub Actions workflow: it has neither `on:` nor `jobs:`.', range: at(root.range?.[0] ?? 0) }] };
  }
  const workflow = buildWorkflow(doc, file);
  return { file, workflow, diagnostics: validateWorkflow(file, doc, lineCounter) };
}

/**
 * Counts the nodes the document would have with every alias expanded, stopping once past `limit`.
 * The schema validator walks aliases recursively, so a "billion laughs" document must be caught first.
 */
function aliasExpansion(doc: Document, limit: number): { size: number; firstAlias?: YamlNode } {
  const memo = new Map<YamlNode, number>();
  let firstAlias: YamlNode | undefined;
  const size = (node: unknown, depth: number): number => {
    if (!node || depth > 200) return 1;
    if (isAlias(node)) {
      firstAlias ??= node;
      const target = node.resolve(doc) as YamlNode | undefined;
      return target && !isAlias(target) ? size(target, depth + 1) : 1;
    }
    const n = node as YamlNode;
    const known = memo.get(n);
    if (known !== undefined) return known;
    let total = 1;
    if (isCollection(n)) {
      memo.set(n, limit + 1); // a cycle counts as over the limit
      for (const item of n.items) {
        total += isPair(item) ? size(item.key, depth + 1) + size(item.value, depth + 1) : size(item, depth + 1);
        if (total > limit) break;
      }
    }
    memo.set(n, total);
    return total;
  };
  const total = size(doc.contents, 0);
  return { size: firstAlias ? total : 0, firstAlias };
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(n / 1024)} KB`;
}
