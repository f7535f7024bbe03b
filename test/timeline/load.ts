import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CalledWorkflows } from '../../src/analysis/called-workflows.js';
import { Facts } from '../../src/analysis/facts.js';
import { listWorkflowFolder, readCalledWorkflow } from '../../src/lint.js';
import { workflowTimeline, type Timeline } from '../../src/timeline/model.js';
import { decodeWorkflow } from '../../src/workflow/load.js';
import { FIXTURES, fixtureConfig } from '../rules/harness.js';

export const SEED = join(FIXTURES, 'seed', 'robust-solution.yml');
export const CONCURRENT = join(FIXTURES, 'timeline', 'concurrent-azure.yml');

/** The timeline of a workflow file, with the config of its `# config:` line, as `wf-lint timeline` makes it. */
export function timelineOf(path: string): Timeline {
  const bytes = readFileSync(path);
  const config = fixtureConfig(bytes.toString('utf8'));
  const loaded = decodeWorkflow(path, bytes);
  if (!loaded.workflow) throw new Error(`${path} is not a workflow`);
  const calledWorkflows = new CalledWorkflows(config.settings, readCalledWorkflow, listWorkflowFolder);
  return workflowTimeline(
    loaded.workflow,
    new Facts(loaded.workflow, loaded.diagnostics, config.settings, calledWorkflows),
  );
}
