/**
 * The timelines of workflow files, for `wf-lint timeline` and the HTML report: each file loaded and
 * analysed as a lint run does it, then drawn by the timeline bundle (dist/timeline.cjs), which only
 * these commands load.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Facts } from './analysis/facts.js';
import { lintLoaded, cannotRead, type LintOptions } from './lint.js';
import { lateSecretRead } from './rules/late-secret-read.js';
import type { Timeline } from './timeline/model.js';
import { decodeWorkflow } from './workflow/load.js';

export type TimelineBundle = typeof import('./timeline/index.js');

/** src/timeline/ and the HTML report, bundled apart from the CLI (scripts/build.mjs). */
export function timelineBundle(): TimelineBundle {
  return createRequire(import.meta.url)('./timeline.cjs') as TimelineBundle;
}

export interface TimelineOptions extends Pick<LintOptions, 'config' | 'calledWorkflows' | 'onInternalError'> {
  /** Keep only the jobs where late-secret-read reports a finding (directives and config apply). */
  lateOnly?: boolean;
  /** A file that cannot be read, or is not a workflow: it has no timeline. */
  onProblem(path: string, reason: string): void;
}

export function fileTimelines(
  files: { abs: string; path: string }[],
  bundle: TimelineBundle,
  options: TimelineOptions,
): Timeline[] {
  const timelines: Timeline[] = [];
  for (const { abs, path } of files) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(abs);
    } catch (err) {
      options.onProblem(path, cannotRead(err));
      continue;
    }
    const loaded = decodeWorkflow(path, bytes);
    if (!loaded.workflow) {
      const [first] = loaded.diagnostics;
      const at = first ? ` (${first.range.start.line}:${first.range.start.column}: ${first.message})` : '';
      options.onProblem(path, `not a workflow${at}`);
      continue;
    }
    const facts = new Facts(loaded.workflow, loaded.diagnostics, options.config.settings, options.calledWorkflows);
    const timeline = bundle.workflowTimeline(loaded.workflow, facts);
    if (!options.lateOnly) {
      timelines.push(timeline);
      continue;
    }
    const { findings } = lintLoaded(loaded, { ...options, rules: [lateSecretRead] });
    const lateJobs = findings
      .filter((f) => f.ruleId === lateSecretRead.meta.id)
      .map((f) => bundle.jobAt(timeline, f.range.start.offset));
    const late = timeline.jobs.filter((job) => lateJobs.includes(job));
    if (late.length > 0) timelines.push({ ...timeline, jobs: late });
  }
  return timelines;
}
