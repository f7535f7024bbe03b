import { FeatureFlags } from '@actions/expressions/features';
import { NoOperationTraceWriter } from '@actions/workflow-parser';
import { TemplateContext, TemplateValidationErrors } from '@actions/workflow-parser/templates/template-context';
import { readTemplate } from '@actions/workflow-parser/templates/template-reader';
import { WORKFLOW_ROOT } from '@actions/workflow-parser/workflows/workflow-constants';
import type { Document, LineCounter } from 'yaml';
import type { Diagnostic } from './load.js';
import { DocumentReader } from './schema-reader.js';
import { workflowSchema } from './schema.js';
import type { SourceFile } from './source.js';

/**
 * Experimental schema features wf-lint accepts. `allowBackgroundSteps` turns on GitHub's concurrent
 * steps (`background`, `wait`, `wait-all`, `cancel`); without it parser 0.3.61 reports them as
 * "Unexpected value" although Actions runs them. A test pins this flag so a renaming upgrade fails loudly.
 */
export const SCHEMA_FEATURES = { allowBackgroundSteps: true } as const;

/** Validates a workflow against GitHub's own schema (@actions/workflow-parser); errors become diagnostics. */
export function validateWorkflow(file: SourceFile, doc: Document, lineCounter: LineCounter): Diagnostic[] {
  const context = new TemplateContext(new TemplateValidationErrors(), workflowSchema(), new NoOperationTraceWriter());
  context.state.featureFlags = new FeatureFlags(SCHEMA_FEATURES);
  const fileId = context.getFileId(file.path);
  // GitHub's reader would parse the text a second time; this one reads wf-lint's document.
  readTemplate(context, WORKFLOW_ROOT, new DocumentReader(doc, lineCounter, fileId), fileId);
  const toOffset = (p: { line: number; column: number }) => (lineCounter.lineStarts[p.line - 1] ?? 0) + p.column - 1;
  return context.errors.getErrors().map((err) => ({
    message: sentence(err.rawMessage),
    range: err.range ? file.range(toOffset(err.range.start), toOffset(err.range.end)) : file.range(0, 0),
  }));
}

function sentence(message: string): string {
  const m = message.trim();
  return /[.!?]$/.test(m) ? m : `${m}.`;
}
