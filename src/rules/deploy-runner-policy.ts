import { matrixLegs, substituteMatrix } from '../analysis/matrix.js';
import { runnerRequestsOf, runsOn, type RunnerRequest } from '../analysis/runners.js';
import type { RunnerPolicy } from '../config/settings.js';
import { defineRule } from './rule.js';
import { brief } from './wording.js';

const SUMMARY = 'Deploy to a policed environment on a runner the policy does not allow';
const DESCRIPTION = [
  'With `settings.deploy.runners` set (the rule is silent without it), a job whose `environment:` matches',
  'one of its environment-name patterns must ask for a runner that carries every label of one of the',
  'allowed label sets. GitHub creates a deployment for every job that names an environment, and hands it',
  "that environment's secrets: on any other runner they leave the machines approved for them. Each",
  'matrix combination is checked; a runner chosen at run time (an input, a computed matrix) is reported',
  'as a warning, since the policy cannot be verified.',
].join(' ');

const WHY = [
  'GitHub makes every job that names an environment a deployment with its secrets:',
  "the environment's deploy credentials then reach a runner that is not approved for them.",
].join(' ');

export const deployRunnerPolicy = defineRule({
  meta: {
    id: 'deploy-runner-policy',
    summary: SUMMARY,
    description: DESCRIPTION,
    level: 'error',
    securitySeverity: 7.0,
    precision: 'very-high',
    tags: ['security', 'deploy', 'runners'],
    fixable: [],
  },
  check({ workflow, settings, report }) {
    const policies = settings.deploy.runners;
    if (policies.length === 0) return;
    for (const job of workflow.jobs) {
      const name = job.environment?.name;
      const where = runsOn(job, workflow.file);
      if (!name || !where) continue;
      const refused = new Map<string, { policy: RunnerPolicy; environment: string; request: RunnerRequest }>();
      const unknown = new Map<string, { policy: RunnerPolicy; environment: string; why: string }>();
      // A computed matrix: what does not read it can still be checked.
      for (const leg of matrixLegs(job) ?? [new Map()]) {
        // An environment chosen at run time (`${{ inputs.environment }}`) cannot be matched: not checked.
        const environment = substituteMatrix(name.text, leg)?.trim();
        if (!environment || environment.includes('${{')) continue;
        const policy = policies.find((p) => p.pattern.test(environment));
        if (!policy) continue;
        const requests = runnerRequestsOf(job, leg, workflow.file) ?? [];
        if (typeof requests === 'string') unknown.set(environment, { policy, environment, why: requests });
        else
          for (const request of requests.filter((r) => !allowed(r, policy)))
            refused.set(`${environment} ${describe(request)}`, { policy, environment, request });
      }
      const [first, ...more] = [...refused.values()];
      if (first) {
        const also =
          more.length > 0 ? ` (and ${more.length} more runner${more.length > 1 ? 's' : ''} it can ask for)` : '';
        report({
          at: where.range,
          message:
            `Job '${brief(job.id)}' deploys to \`${brief(first.environment)}\` on a runner ` +
            '`settings.deploy.runners` does not allow there',
          detail:
            `Job '${job.id}' runs in environment \`${first.environment}\` on runner ${describe(first.request)}` +
            `${also}, which \`settings.deploy.runners\` does not allow for \`${first.policy.environment}\`. ` +
            `${WHY} Use ${allowedSets(first.policy)}.`,
          related: [{ range: name.range, message: `The environment, which \`${first.policy.environment}\` matches.` }],
        });
        continue;
      }
      const [unresolved] = unknown.values();
      if (!unresolved) continue;
      report({
        at: where.range,
        level: 'warning',
        message:
          `Job '${brief(job.id)}' deploys to \`${brief(unresolved.environment)}\` on a runner wf-lint cannot ` +
          'check against `settings.deploy.runners`',
        detail:
          `Job '${job.id}' runs in environment \`${unresolved.environment}\`, but wf-lint cannot tell its ` +
          `runner: ${unresolved.why}. \`settings.deploy.runners\` allows only ${allowedSets(unresolved.policy)} ` +
          `for \`${unresolved.policy.environment}\`; write the labels in the workflow (or a matrix) so that ` +
          'the policy can be checked.',
        related: [
          { range: name.range, message: `The environment, which \`${unresolved.policy.environment}\` matches.` },
        ],
      });
    }
  },
});

/** A request is allowed when it asks for every label of an allowed set (a runner group as `group:NAME`). */
function allowed(request: RunnerRequest, policy: RunnerPolicy): boolean {
  const asked = new Set(request.labels.map((l) => l.text.toLowerCase()));
  if (request.group) asked.add(`group:${request.group.text.toLowerCase()}`);
  return policy.labelSets.some((set) => set.every((label) => asked.has(label.toLowerCase())));
}

function describe(request: RunnerRequest): string {
  const labels = request.labels.map((l) => l.text);
  const group = request.group ? [`group:${request.group.text}`] : [];
  const leg = request.leg ? ` (${request.leg})` : '';
  return `\`[${[...group, ...labels].join(', ')}]\`${leg}`;
}

function allowedSets(policy: RunnerPolicy): string {
  return policy.labelSets.map((set) => `\`[${set.join(', ')}]\``).join(' or ');
}
