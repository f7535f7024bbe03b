import { FeatureFlags } from '@actions/expressions/features';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { TemplateContext, TemplateValidationErrors } from '@actions/workflow-parser/templates/template-context';
import { readTemplate } from '@actions/workflow-parser/templates/template-reader';
import { isMap, isScalar, type Document, type LineCounter, type Node } from 'yaml';
import type { Diagnostic } from './load.js';
import { ignoredMessages, refusedMessage, type SchemaError } from './schema-messages.js';
import { DocumentReader } from './schema-reader.js';
import { workflowSchema } from './schema.js';
import type { SourceFile } from './source.js';

/**
 * Experimental schema features wf-lint accepts. `allowBackgroundSteps` turns on GitHub's concurrent
 * steps (`background`, `wait`, `wait-all`, `cancel`); without it parser 0.3.61 reports them as
 * "Unexpected value" although Actions runs them. A test pins this flag so a renaming upgrade fails loudly.
 */
export const SCHEMA_FEATURES = { allowBackgroundSteps: true } as const;

/**
 * The definition GitHub loads a workflow with. Its `on:` is loose: only `workflow_call` is typed, any
 * other event takes any value, and the service reads only the filters it knows. The schema's
 * `workflow-root-strict` (what @actions/workflow-parser's own `parseWorkflow` and editors use) types
 * every event; what only it rejects, GitHub runs and ignores.
 */
const GITHUB_ROOT = 'workflow-root';
const STRICT_ON = 'on-strict';

/**
 * Validates a workflow the way GitHub loads it: GitHub's schema (@actions/workflow-parser) with its
 * lenient `on:`; its errors are refusals. Then `on:` is read again against the strict schema: what
 * only that rejects, GitHub loads and ignores.
 *
 * The package's converter (convertWorkflowTemplate) is not run: it rejects what GitHub runs, such as a
 * number as a string input's default or `env: ${{ fromJSON(...) }}` on a step.
 */
export function validateWorkflow(file: SourceFile, doc: Document, lineCounter: LineCounter): Diagnostic[] {
  const toOffset = (p: { line: number; column: number }) => (lineCounter.lineStarts[p.line - 1] ?? 0) + p.column - 1;
  const errorsOf = (context: TemplateContext): SchemaError[] =>
    context.errors.getErrors().map((err) => {
      const start = err.range ? toOffset(err.range.start) : 0;
      return { raw: err.rawMessage, start, end: err.range ? toOffset(err.range.end) : start };
    });

  const context = newContext();
  const fileId = context.getFileId(file.path);
  // GitHub's reader would parse the text a second time; this one reads wf-lint's document.
  readTemplate(context, GITHUB_ROOT, new DocumentReader(doc, lineCounter, fileId), fileId);
  const refused = errorsOf(context);
  const diagnostics: Diagnostic[] = refused.map((e) => ({
    kind: 'refused',
    message: refusedMessage(e, doc),
    range: file.range(e.start, e.end),
    problem: e.raw,
  }));

  const on = onValue(doc);
  if (on === undefined && isMap(doc.contents)) {
    // GitHub reports "No event triggers defined in `on`" for such a file.
    const [start] = doc.contents.range ?? [0];
    diagnostics.push({
      kind: 'refused',
      message: 'The workflow has no `on:`, so no event can start it; GitHub rejects this workflow.',
      range: file.range(start, start),
    });
  }
  if (on) {
    const strict = newContext();
    readTemplate(strict, STRICT_ON, new DocumentReader(doc, lineCounter, strict.getFileId(file.path), on), fileId);
    const refusedAt = new Set(refused.map((e) => e.start));
    for (const error of errorsOf(strict)) {
      if (refusedAt.has(error.start)) continue;
      for (const ignored of ignoredMessages(error, doc))
        diagnostics.push({ kind: 'ignored', message: ignored.message, range: file.range(ignored.start, ignored.end) });
    }
  }
  return diagnostics;
}

function newContext(): TemplateContext {
  const context = new TemplateContext(new TemplateValidationErrors(), workflowSchema(), new NoOperationTraceWriter());
  context.state.featureFlags = new FeatureFlags(SCHEMA_FEATURES);
  return context;
}

/** The value of `on:` (null when the key has none), or undefined without the key. */
function onValue(doc: Document): Node | null | undefined {
  if (!isMap(doc.contents)) return undefined;
  const pair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'on');
  return pair ? ((pair.value as Node | null) ?? null) : undefined;
}
