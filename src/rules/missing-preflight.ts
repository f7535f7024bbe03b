import type { Deployment } from '../analysis/deploy.js';
import {
  OWN_PREFLIGHT_NAME,
  preflightNeeds,
  type PlannedSecret,
  type PreflightCheck,
  type PreflightNeeds,
  type SecretUse,
} from '../analysis/preflight.js';
import type { RelatedLocation } from '../findings.js';
import { preflightFix, type JobPreflight } from '../fixers/missing-preflight.js';
import type { StepOrder } from '../workflow/graph.js';
import type { Job } from '../workflow/model.js';
import { defineRule } from './rule.js';

const DESCRIPTION = [
  "A deploying job needs secrets (`secrets.*` in its env, its steps' env, `with:` or scripts; `GITHUB_TOKEN`",
  'excluded) but no preflight step, one that fails the job when any of them is empty, runs before the first',
  'step that uses them. A missing secret silently evaluates to an empty string: the deploy fails halfway with',
  'a confusing error, or succeeds with an empty credential. Only secrets the job needs count: not those that',
  'only feed a login action that stops at once on an empty input, nor those of steps that run on failure or',
  'may fail, nor those the job tests and skips its work without. Jobs that lack the same checks are one',
  'finding; a preflight wf-lint wrote before is brought up to date.',
].join(' ');

const WHY = [
  'A missing secret is an empty string:',
  'the deploy fails halfway with a confusing error, or runs with an empty credential.',
].join(' ');
const WHAT = 'Check every secret the job needs in a first step that fails when one is empty.';
const OWN = `'${OWN_PREFLIGHT_NAME}', written by wf-lint --fix,`;
const NO_FIRST_STEP = 'which a first step cannot evaluate';

export const missingPreflight = defineRule({
  meta: {
    id: 'missing-preflight',
    summary: 'Deploying job uses secrets without first checking that they are set',
    description: DESCRIPTION,
    level: 'warning',
    securitySeverity: 3.0,
    precision: 'high',
    tags: ['reliability', 'deploy', 'secrets'],
    fixable: ['safe'],
  },
  check({ workflow, facts, report }) {
    const findings: JobFinding[] = [];
    for (const job of workflow.jobs) {
      const deployment = facts.deployment(job);
      if (!deployment || job.uses) continue;
      const finding = jobFinding(job, deployment, preflightNeeds(job, facts), facts.order(job));
      if (finding) findings.push(finding);
    }
    // Jobs that lack the same checks for the same environment are one finding, at the first of them.
    const groups = new Map<string, JobFinding[]>();
    for (const f of findings) groups.set(f.signature, [...(groups.get(f.signature) ?? []), f]);
    for (const group of groups.values()) {
      const [first, ...rest] = group;
      const others: RelatedLocation[] = rest.map((f) => ({
        range: f.job.keyRange,
        message: `Job '${f.job.id}' deploys (${f.deployment.reason}) and lacks the same checks.`,
      }));
      const subject = rest.length === 0 ? single(first) : several(first, rest.length);
      const problems = first.problems(rest.length === 0 ? SINGLE : EACH);
      const fixable = group.map((f) => f.preflight).filter((p) => p.checks.length > 0 || p.own.length > 0);
      report({
        at: first.job.keyRange,
        message: `${subject} but ${problems}. ${WHY} ${WHAT}${noFixNote(first)}`,
        related: [...first.related, ...others],
        fix: fixable.length === group.length ? preflightFix(workflow, fixable, fixDescription(group)) : undefined,
      });
    }
  },
});

interface JobFinding {
  job: Job;
  deployment: Deployment;
  needs: PreflightNeeds;
  /** The problems as a clause, for one job or for each of several. */
  problems: (who: Who) => string;
  related: RelatedLocation[];
  preflight: JobPreflight;
  signature: string;
}

/** How a clause names the job: "it uses", "its preflight"; or, for several jobs, "each uses", "each one's". */
interface Who {
  uses: string;
  its: string;
  inEach: string;
}
const SINGLE: Who = { uses: 'uses', its: 'its', inEach: '' };
const EACH: Who = { uses: 'each uses', its: "each one's", inEach: 'in each, ' };

function single(f: JobFinding): string {
  return `Job '${f.job.id}' deploys (${f.deployment.reason})`;
}

function several(f: JobFinding, more: number): string {
  const jobs = `${more} more job${more === 1 ? '' : 's'}`;
  return `Job '${f.job.id}' and ${jobs} deploy (job '${f.job.id}': ${f.deployment.reason})`;
}

function jobFinding(job: Job, deployment: Deployment, needs: PreflightNeeds, order: StepOrder): JobFinding | undefined {
  const { unchecked, early, plan, own, stale } = needs;
  const checks = needs.checks.filter((c) => !c.upstream && c.kind !== 'fail-fast');
  const leftOut = plan.filter((p) => p.leftOut);
  if (own.length > 0 ? !stale && leftOut.length === 0 : unchecked.length === 0 && early.length === 0) return undefined;
  const named = (secret: string) => planned(plan.find((p) => p.secret.toUpperCase() === secret.toUpperCase()));
  const problems = (who: Who): string => {
    const parts: string[] = [];
    if (own.length > 0 && stale) parts.push(`${who.its} preflight ${OWN} is out of date: ${staleness(needs)}`);
    else if (own.length > 0) parts.push(`${who.uses} ${list(leftOut.map(planned))} with no check before`);
    else if (unchecked.length > 0) {
      const names = list(unchecked.map((u) => named(u.secret)));
      const they = unchecked.length === 1 ? 'it is' : 'they are';
      parts.push(
        checks.length === 0
          ? `${who.uses} ${names} with no preflight step that fails when ${they} empty`
          : `${who.its} preflight ${stepNames(checks)} does not check ${names}`,
      );
    }
    if (own.length === 0)
      for (const { use, check } of early) {
        const how = relation(order, check, use);
        const step = `${who.inEach}step '${use.step!.label}' uses secrets.${use.secret}`;
        parts.push(`${step} before the preflight '${check.step.label}' has checked it (${how})`);
      }
    return parts.join('; and ');
  };
  const related: RelatedLocation[] = [
    ...checks.map((c) => ({ range: c.step.range, message: `Preflight '${c.step.label}' checks ${checkedList(c)}.` })),
    ...[...unchecked, ...early.map((e) => e.use)].map((u) => ({
      range: u.range,
      message: `secrets.${u.secret} is used here.`,
    })),
  ];
  const checkable = plan.filter((p) => !p.leftOut).map((p) => ({ secret: p.secret, condition: p.condition }));
  const preflight: JobPreflight = { job, checks: checkable, own };
  const environment = job.environment?.name?.text ?? '';
  const signature = JSON.stringify([problems(EACH), environment, plan, stale]);
  return { job, deployment, needs, problems, related, preflight, signature };
}

/** How wf-lint's own preflight differs from what the job needs. */
function staleness({ plan, ownPlan }: PreflightNeeds): string {
  const parts: string[] = [];
  const wanted = new Map(plan.filter((p) => !p.leftOut).map((p) => [p.secret.toUpperCase(), p]));
  const extra = [...ownPlan.keys()].filter((s) => !wanted.has(s));
  const missing = [...wanted.values()].filter((p) => !ownPlan.has(p.secret.toUpperCase()));
  const moved = [...wanted.values()].filter((p) => {
    const has = ownPlan.get(p.secret.toUpperCase());
    return has !== undefined && has !== (p.condition ?? '');
  });
  if (extra.length > 0)
    parts.push(`it checks ${list(extra.map((s) => `secrets.${s}`))}, which the job no longer needs`);
  if (missing.length > 0) parts.push(`it does not check ${list(missing.map(planned))}`);
  if (moved.length > 0) parts.push(`it checks ${list(moved.map(planned))} under another condition`);
  return parts.join(', ') || 'its steps do not check what their env maps';
}

/** `secrets.X`, with the condition it is needed under or why no first step can check it. */
function planned(p: PlannedSecret | undefined): string {
  if (!p) return '';
  const name = `secrets.${p.secret}`;
  if (p.leftOut) return `${name} (used only when \`${p.leftOut.text}\`, ${NO_FIRST_STEP}: ${p.leftOut.later})`;
  return p.condition ? `${name} (needed only when \`${p.condition}\`)` : name;
}

function fixDescription(group: JobFinding[]): string {
  const [first] = group;
  const { plan, own } = first.needs;
  const checked = plan.filter((p) => !p.leftOut);
  const where = group.length === 1 ? '' : ` in jobs ${list(group.map((f) => `'${f.job.id}'`))}`;
  const left = plan.filter((p) => p.leftOut).map((p) => `${planned(p)} is left out`);
  const checks = checked.map(planned).join(', ');
  let what: string;
  if (own.length === 0) what = `add a preflight step checking ${checks}${where}`;
  else if (checked.length === 0) what = `remove the preflight ${OWN} which checks nothing the job needs`;
  else what = `bring the preflight ${OWN} up to date: check ${checks}${where}`;
  return [what, ...left].join('; ');
}

/** Why the finding has no fix, as a closing sentence. */
function noFixNote(f: JobFinding): string {
  if (f.preflight.checks.length > 0 || f.needs.own.length > 0) return '';
  return ' No automatic fix: check it at the top of the step that uses it, or before that step under the same `if:`.';
}

function relation(order: StepOrder, check: PreflightCheck, use: SecretUse): string {
  if (check.step.group && check.step.group === use.step!.group) return 'they run in the same parallel group';
  return order.mayOverlap(check.step, use.step!) ? 'they may run at the same time' : 'the preflight runs after it';
}

function checkedList(c: PreflightCheck): string {
  return c.secrets.size === 0 ? 'no secret' : list([...c.secrets].map((s) => `secrets.${s}`));
}

function stepNames(checks: PreflightCheck[]): string {
  return checks.map((c) => `'${c.step.label}'`).join(', ');
}

function list(names: string[]): string {
  return names.length <= 4 ? names.join(', ') : `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`;
}
