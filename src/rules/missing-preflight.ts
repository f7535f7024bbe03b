import type { PreflightCheck, SecretUse } from '../analysis/preflight.js';
import type { RelatedLocation } from '../findings.js';
import type { StepOrder } from '../workflow/graph.js';
import { addPreflight } from '../fixers/missing-preflight.js';
import { defineRule } from './rule.js';
import { jobDeploys, stepName } from './wording.js';

const WHY =
  'A missing secret is an empty string: ' +
  'the deploy fails halfway with a confusing error, or runs with an empty credential.';
const REMEDY = 'Check every secret the job uses in a first step that fails when one is empty.';

export const missingPreflight = defineRule({
  meta: {
    id: 'missing-preflight',
    summary: 'Deploying job uses secrets without first checking that they are set',
    description:
      'A deploying job consumes secrets ' +
      "(`secrets.*` in its env, its steps' env, `with:` or scripts; `GITHUB_TOKEN` excluded) but no preflight step, " +
      'one that fails the job when any of them is empty, runs before the first step that uses them. ' +
      'A missing secret silently evaluates to an empty string: ' +
      'the deploy fails halfway with a confusing error, or succeeds with an empty credential. ' +
      'A preflight that checks only some of the secrets is reported with the ones it misses; ' +
      'a preflight that only overlaps the first use (the same `parallel:` group, a background step) ' +
      'does not count as before it.',
    level: 'warning',
    securitySeverity: 3.0,
    precision: 'high',
    tags: ['reliability', 'deploy', 'secrets'],
    fixable: ['safe'],
  },
  check({ workflow, facts, report }) {
    for (const job of workflow.jobs) {
      const deployment = facts.deployment(job);
      if (!deployment || job.uses) continue;
      const { uses, checks } = facts.secretConsumption(job);
      const order = facts.order(job);
      const unchecked = new Map<string, SecretUse>();
      const early = new Map<string, { use: SecretUse; check: PreflightCheck }>();
      // Every use must come after a check of its secret; the first one that does not is reported.
      for (const use of uses) {
        const key = use.secret.toUpperCase();
        if (unchecked.has(key) || early.has(key)) continue;
        const checking = checks.filter((c) => c.secrets.has(key));
        if (checking.length === 0) unchecked.set(key, use);
        else if (use.step && !checking.some((c) => order.happensBefore(c.step, use.step!)))
          early.set(key, { use, check: checking[0] });
      }
      if (unchecked.size === 0 && early.size === 0) continue;
      const problems: string[] = [];
      if (unchecked.size > 0) {
        const names = list([...unchecked.values()].map((u) => u.secret));
        const itIs = unchecked.size === 1 ? 'it is' : 'they are';
        problems.push(
          checks.length === 0
            ? `uses ${names} with no preflight step that fails when ${itIs} empty`
            : `its preflight ${stepNames(checks)} does not check ${names}`,
        );
      }
      for (const { use, check } of early.values()) {
        const before = `before the preflight ${stepName(check.step)} has checked it`;
        problems.push(
          `step ${stepName(use.step!)} uses secrets.${use.secret} ${before} (${relation(order, check, use)})`,
        );
      }
      const related: RelatedLocation[] = [
        ...checks.map((c) => ({
          range: c.step.range,
          message: `Preflight '${c.step.label}' checks ${c.secrets.size === 0 ? 'no secret' : list([...c.secrets])}.`,
        })),
        ...[...unchecked.values(), ...[...early.values()].map((e) => e.use)].map((u) => ({
          range: u.range,
          message: `secrets.${u.secret} is used here.`,
        })),
      ];
      report({
        at: job.keyRange,
        message: `${jobDeploys(job, deployment)} but ${problems.join('; and ')}. ${WHY} ${REMEDY}`,
        related,
        fix: addPreflight(workflow, job, [
          ...new Set([...unchecked.values(), ...[...early.values()].map((e) => e.use)].map((u) => u.secret)),
        ]),
      });
    }
  },
});

function relation(order: StepOrder, check: PreflightCheck, use: SecretUse): string {
  if (check.step.group && check.step.group === use.step!.group) return 'they run in the same parallel group';
  return order.mayOverlap(check.step, use.step!) ? 'they may run at the same time' : 'the preflight runs after it';
}

function stepNames(checks: PreflightCheck[]): string {
  return checks.map((c) => stepName(c.step)).join(', ');
}

function list(secrets: string[]): string {
  const named = secrets.map((s) => (s.startsWith('secrets.') ? s : `secrets.${s}`));
  return named.length <= 4 ? named.join(', ') : `${named.slice(0, 4).join(', ')} and ${named.length - 4} more`;
}
