import type { Job, Workflow } from '../workflow/model.js';
import { CHANGED_FILES_ACTIONS, PUSH_DIFF } from './deploy-recognisers.js';
import { actionName, listedAction } from './match.js';

/**
 * The step by which a job, or a job it needs, finds what its own push changed (`dorny/paths-filter`,
 * `git diff HEAD^ HEAD`): the run deploys only that. Its label, as a message names it; undefined when
 * no step does.
 */
export function changeScopedBy(workflow: Workflow, job: Job, seen = new Set<Job>()): string | undefined {
  if (seen.has(job)) return undefined;
  seen.add(job);
  for (const step of job.steps) {
    const action = actionName(step);
    if (action && listedAction(CHANGED_FILES_ACTIONS, action)) return `\`${action}\``;
    if (step.run && PUSH_DIFF.test(step.run.text)) return '`git diff` against the commit before the push';
  }
  for (const need of job.needs) {
    const needed = workflow.jobs.find((j) => j.id === need.text.trim());
    const by = needed && changeScopedBy(workflow, needed, seen);
    if (by) return by;
  }
  return undefined;
}
