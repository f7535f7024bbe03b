import type { Deployment } from '../analysis/deploy.js';
import type { Facts } from '../analysis/facts.js';
import { FOLDER_SECRET_NAME, identifierLike } from '../analysis/secret-values.js';
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
import type { Job, Step } from '../workflow/model.js';
import { defineRule } from './rule.js';
import { brief } from './wording.js';

const DESCRIPTION = [
  "A deploying job needs secrets (`secrets.*` in its env, its steps' env, `with:` or scripts; `GITHUB_TOKEN`",
  'excluded) but no preflight step, one that fails the job when any of them is empty, runs before the first',
  'step that uses them. A missing secret silently evaluates to an empty string: the deploy fails halfway with',
  'a confusing error, or succeeds with an empty credential. Only secrets the job needs count: not those that',
  'only feed a login action that stops at once on an empty input, nor those of steps that run on failure or',
  'may fail, nor those the job tests and skips its work without. A finding needs one whose empty value would',
  'do harm the workflow shows: carried into what is deployed, read after a deploy step, or handed to the',
  "repository's own deploy script. Jobs that lack the same checks are one finding; a preflight wf-lint wrote",
  'before is brought up to date.',
].join(' ');

/** What an empty secret does, by the harm the job's use of it shows (SecretUse.harm). */
const WHY_BY_HARM: [Harm, string][] = [
  ['content', "the job carries it into what it deploys (a file, the app's settings, a build) and ships it empty"],
  ['after-change', 'the job stops on it only after an earlier deploy step has changed the environment, half done'],
  ['skips-deploy', 'given an empty name, the deploy action skips its deploy and the run still succeeds'],
  ['destination', 'a command writes or deletes in another folder than the one meant'],
  [
    'deploy-script',
    "the repository's deploy script gets it empty, and the workflow does not show the script stopping first",
  ],
];
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
      // Names alone (a job's, an environment's, a script's) say too little of what the job does with its secrets.
      if (!deployment || job.uses || deployment.weak) continue;
      const { uses, destinations } = facts.secretConsumption(job);
      // A folder kept as a secret is an identifier too, unless a command writes or deletes there.
      const identifiers = (secret: string) =>
        identifierLike(secret, facts.settings.identifierSecrets) ||
        (FOLDER_SECRET_NAME.test(secret) && !destinations.has(secret.toUpperCase()));
      const needs = preflightNeeds(job, facts);
      if (onlyForLocalActions(needs, uses, identifiers)) continue;
      // Only a secret whose empty value would do harm makes a finding: one carried into what is deployed,
      // read after a deploy step has changed something, or naming where a command writes. The others are
      // listed beside it: alone, an empty credential or name stops the deploy before it changes anything.
      const harms = new Map<string, Set<Harm>>();
      const add = (secret: string, harm: Harm) => harms.set(secret, (harms.get(secret) ?? new Set()).add(harm));
      destinations.forEach((secret) => add(secret, 'destination'));
      for (const u of uses) if (u.harm) add(u.secret.toUpperCase(), u.harm);
      // An empty name an action skips its deploy without is harm enough: the run is green, nothing deployed.
      const triggers = (secret: string): Set<Harm> | undefined => {
        const found = harms.get(secret.toUpperCase());
        return found && (found.has('skips-deploy') || !identifiers(secret)) ? found : undefined;
      };
      const finding = jobFinding(job, deployment, needs, facts.order(job), triggers);
      if (finding) findings.push(finding);
    }
    // Jobs that lack checks for the same environment are one finding, at the first of them, with one fix.
    const groups = new Map<string, JobFinding[]>();
    for (const f of findings) groups.set(f.group, [...(groups.get(f.group) ?? []), f]);
    for (const jobs of groups.values()) {
      const group = readerFirst(jobs, facts);
      const [first, ...rest] = group;
      report({
        at: first.job.keyRange,
        message: firstLine(group),
        detail: `${headline(group)}.${failFastNote(group)} ${why(group)} ${WHAT}`,
        related: [...first.related, ...rest.map(otherJob)],
        fix: preflightFix(
          workflow,
          group.map((f) => f.preflight),
          fixDescription(group),
        ),
      });
    }
  },
});

/**
 * The jobs of a group, the one that reads most of their required secrets first (then the one with most
 * steps reading them, then file order): a finding at a job that reads none of them (an ECR-only apply
 * beside the apply of every module, both under the workflow's env) would point at the wrong job.
 */
function readerFirst(group: JobFinding[], facts: Facts): JobFinding[] {
  const weight = (f: JobFinding) => {
    const uses = facts.secretConsumption(f.job).uses.filter((u) => u.need === 'required');
    return [new Set(uses.map((u) => u.secret.toUpperCase())).size, new Set(uses.map((u) => u.step)).size];
  };
  const weights = new Map(group.map((f) => [f, weight(f)]));
  const heavier = (a: JobFinding, b: JobFinding) => {
    const [x, y] = [weights.get(a)!, weights.get(b)!];
    return x[0] > y[0] || (x[0] === y[0] && x[1] > y[1]);
  };
  const first = group.reduce((best, f) => (heavier(f, best) ? f : best));
  return [first, ...group.filter((f) => f !== first)];
}

/** Whether a secret's name says it holds an identifier (a user, a host, a folder nothing writes to). */
type IsIdentifier = (secret: string) => boolean;

/**
 * Whether every credential the job would check goes only to login-like inputs of local actions
 * (`uses: ./.github/actions/x` with `azure_creds:`, `terraform_arm_client_secret:`, `okta_api_token:`),
 * whose steps are not in the workflow: whether an empty one fails at once (the tool signs in first) or
 * late depends on what the action does, which the file does not show. Too weak for a finding. An
 * application's own secret (`rails-master-key:`) stays one: the app is deployed with it.
 */
function onlyForLocalActions(needs: PreflightNeeds, uses: SecretUse[], identifier: IsIdentifier): boolean {
  if (needs.own.length > 0) return false;
  const wanted = new Set(needs.plan.filter((p) => !p.leftOut && !identifier(p.secret)).map((p) => key(p)));
  const relevant = uses.filter((u) => wanted.has(u.secret.toUpperCase()));
  return relevant.length > 0 && relevant.every((u) => u.step !== undefined && localLoginInput(u.step, u.secret));
}

/** Input names that hand a tool the credential it signs in with. */
const LOGIN_INPUT = new RegExp(
  '(^|[-_])(creds|credentials|client[-_]?(id|secret)|tenant[-_]?id|subscription[-_]?id|api[-_]?token|token|' +
    'username|password)$',
  'i',
);

/** Whether a local action's step takes the secret only in login-like inputs. */
function localLoginInput(step: Step, secret: string): boolean {
  if (!step.uses?.text.startsWith('./')) return false;
  const reads = step.with.filter((e) =>
    (e.value?.expressions ?? []).some((x) =>
      x.refs.some((r) => r.context === 'secrets' && String(r.path[0]).toUpperCase() === secret.toUpperCase()),
    ),
  );
  return reads.length > 0 && reads.every((e) => LOGIN_INPUT.test(e.key));
}

interface JobFinding {
  job: Job;
  deployment: Deployment;
  needs: PreflightNeeds;
  /** What the job lacks, as a clause after "but": "uses secrets.X with no preflight step …". */
  problems: string;
  /** Only secrets no step checks at all: several such jobs read as one list. */
  simple: boolean;
  related: RelatedLocation[];
  preflight: JobPreflight;
  /** Jobs of one group are one finding: the same environment, and whether wf-lint's preflight is there. */
  group: string;
  /** What an empty value of the secrets that make the finding would do. */
  harms: Set<Harm>;
}

/** Why an empty secret does harm: a use's (SecretUse.harm), or naming where a command writes or deletes. */
type Harm = NonNullable<SecretUse['harm']> | 'destination';

/** The finding's first sentence: one job, or the first of several and what they lack between them. */
function headline(group: JobFinding[]): string {
  const [first, ...rest] = group;
  if (rest.length === 0) return `Job '${first.job.id}' deploys (${first.deployment.reason}) but ${first.problems}`;
  const jobs = `Job '${first.job.id}' and ${rest.length} more job${rest.length === 1 ? '' : 's'}`;
  const subject = `${jobs} deploy (job '${first.job.id}': ${first.deployment.reason})`;
  if (!group.every((f) => f.simple))
    return `${subject} but ${first.problems}; each other job's location says what it lacks`;
  const union = new Map<string, PlannedSecret>();
  for (const p of group.flatMap((f) => f.needs.plan)) if (!union.has(key(p))) union.set(key(p), p);
  return `${subject} but use ${named([...union.values()])} with no preflight step that fails when one is empty`;
}

/** The first line: which jobs deploy, and whether their own preflight or a check before the first use is missing. */
function firstLine(group: JobFinding[]): string {
  const [first, ...rest] = group;
  const more = rest.length === 0 ? '' : ` and ${rest.length} more job${rest.length === 1 ? '' : 's'}`;
  const jobs = `Job '${brief(first.job.id)}'${more} deploy${rest.length === 0 ? 's' : ''}`;
  const its = rest.length === 0 ? 'its' : 'their';
  if (first.needs.own.length > 0) return `${jobs}, but ${its} preflight '${OWN_PREFLIGHT_NAME}' is out of date`;
  const unchecked = group.flatMap((f) => [...f.needs.unchecked, ...f.needs.early.map((e) => e.use)]);
  const count = new Set(unchecked.map((u) => u.secret.toUpperCase())).size;
  const uses = rest.length === 0 ? 'it uses' : 'they use';
  const secrets = count === 1 ? `a secret ${uses} is` : `${count} secrets ${uses} are`;
  return `${jobs} without checking first that ${secrets} set`;
}

const NOT_CHECKED = 'not checked: empty, it stops the job before anything changes';

/**
 * The secrets left out because what reads them first stops at once when they are empty:
 * " secrets.SSH_USER, secrets.SSH_HOST fail fast at `scp` (not checked: …)."
 */
function failFastNote(group: JobFinding[]): string {
  const byPlace = new Map<string, Set<string>>();
  for (const { secret, at } of group.flatMap((f) => f.needs.failFast)) {
    if (group.some((f) => f.needs.plan.some((p) => key(p) === secret.toUpperCase()))) continue;
    byPlace.set(at, (byPlace.get(at) ?? new Set()).add(`secrets.${secret}`));
  }
  const parts = [...byPlace].map(([at, secrets]) => {
    const names = [...secrets];
    return `${list(names)} ${names.length === 1 ? 'fails' : 'fail'} fast at ${at}`;
  });
  return parts.length === 0 ? '' : ` ${parts.join('; ')} (${NOT_CHECKED}).`;
}

/** Why the group's secrets need checking: what an empty one does, by each harm their uses show. */
function why(group: JobFinding[]): string {
  const harms = new Set(group.flatMap((f) => [...f.harms]));
  const texts = WHY_BY_HARM.filter(([h]) => harms.has(h)).map(([, text]) => text);
  // A preflight of wf-lint's that is only out of date: the secrets it should check were found before.
  const what = texts.join('; or ') || 'the deploy fails halfway, or runs with it empty';
  return `A missing secret is an empty string: ${what}.`;
}

function otherJob(f: JobFinding): RelatedLocation {
  return { range: f.job.keyRange, message: `Job '${f.job.id}' deploys (${f.deployment.reason}) but ${f.problems}.` };
}

const key = (p: PlannedSecret) => p.secret.toUpperCase();

function jobFinding(
  job: Job,
  deployment: Deployment,
  needs: PreflightNeeds,
  order: StepOrder,
  triggers: (secret: string) => Set<Harm> | undefined,
): JobFinding | undefined {
  const { unchecked, early, plan, own, stale } = needs;
  // A step that checks secrets after a deploy step has run (smoke tests, a migration) is no preflight.
  const afterDeploy = (step: Step) => deployment.steps.some((d) => d === step || order.happensBefore(d, step));
  const checks = needs.checks.filter((c) => !c.upstream && c.kind !== 'fail-fast' && !afterDeploy(c.step));
  // A secret used only under a condition no first step can evaluate is named beside the others, never alone:
  // whether the job needs it depends on what earlier steps do. So is an identifier kept as a secret (a
  // bucket, a subnet id, a region): what an empty one does depends on the tool that reads it.
  const checkable = plan.filter((p) => !p.leftOut);
  const harms = new Set(checkable.flatMap((p) => [...(triggers(p.secret) ?? [])]));
  if (own.length > 0 ? !stale : harms.size === 0) return undefined;
  const entries = (uses: SecretUse[]) => {
    const keys = new Set(uses.map((u) => u.secret.toUpperCase()));
    return plan.filter((p) => keys.has(key(p)));
  };
  const parts: string[] = [];
  if (own.length > 0) parts.push(`its preflight ${OWN} is out of date: ${staleness(needs)}`);
  else if (unchecked.length > 0) {
    const names = named(entries(unchecked));
    const they = unchecked.length === 1 ? 'it is' : 'they are';
    parts.push(
      checks.length === 0
        ? `uses ${names} with no preflight step that fails when ${they} empty`
        : `its preflight ${stepNames(checks)} does not check ${names}`,
    );
  }
  if (own.length === 0)
    for (const { use, check } of early) {
      const how = relation(order, check, use);
      const step = `step '${use.step!.label}' uses secrets.${use.secret}`;
      parts.push(`${step} before the preflight '${check.step.label}' has checked it (${how})`);
    }
  const related: RelatedLocation[] = [
    ...checks.map((c) => ({ range: c.step.range, message: `Preflight '${c.step.label}' checks ${checkedList(c)}.` })),
    ...[...unchecked, ...early.map((e) => e.use)].map((u) => ({
      range: u.range,
      message: `secrets.${u.secret} is used here.`,
    })),
  ];
  const planned = checkable.map((p) => ({ secret: p.secret, condition: p.condition }));
  const preflight: JobPreflight = { job, checks: planned, own };
  const simple = own.length === 0 && checks.length === 0 && early.length === 0;
  const group = JSON.stringify([job.environment?.name?.text ?? '', own.length > 0]);
  return { job, deployment, needs, problems: parts.join('; and '), simple, related, preflight, group, harms };
}

/**
 * Secrets as messages list them: those every run needs, then those needed under a condition, then
 * those no first step can check: `secrets.A, secrets.B; when \`inputs.env == 'prod'\`: secrets.C; secrets.D only
 * when \`steps.x.outputs.y\` (which a first step cannot evaluate: …)`.
 */
function named(entries: PlannedSecret[]): string {
  const parts: string[] = [];
  const always = entries.filter((p) => !p.condition && !p.leftOut);
  if (always.length > 0) parts.push(list(always.map(secretName)));
  const conditions = [...new Set(entries.filter((p) => p.condition).map((p) => p.condition!))];
  for (const c of conditions)
    parts.push(`when \`${c}\`: ${list(entries.filter((p) => p.condition === c).map(secretName))}`);
  for (const p of entries.filter((e) => e.leftOut)) {
    const why = `${NO_FIRST_STEP}: ${p.leftOut!.later}`;
    parts.push(`${secretName(p)} only when \`${p.leftOut!.text}\` (${why})`);
  }
  return parts.join('; ');
}

const secretName = (p: PlannedSecret) => `secrets.${p.secret}`;

/** How wf-lint's own preflight differs from what the job needs. */
function staleness({ plan, ownPlan }: PreflightNeeds): string {
  const parts: string[] = [];
  const wanted = new Map(plan.filter((p) => !p.leftOut).map((p) => [key(p), p]));
  const extra = [...ownPlan.keys()].filter((s) => !wanted.has(s));
  const missing = [...wanted.values()].filter((p) => !ownPlan.has(key(p)));
  const moved = [...wanted.values()].filter((p) => {
    const has = ownPlan.get(key(p));
    return has !== undefined && has !== (p.condition ?? '');
  });
  if (extra.length > 0)
    parts.push(`it checks ${list(extra.map((s) => `secrets.${s}`))}, which the job no longer needs`);
  if (missing.length > 0) parts.push(`it does not check ${named(missing)}`);
  if (moved.length > 0) parts.push(`it checks ${list(moved.map(secretName))} under another condition than their use`);
  return parts.join(', ') || 'its steps do not check what their env maps';
}

function fixDescription(group: JobFinding[]): string {
  const [first] = group;
  const plans = group.flatMap((f) => f.needs.plan);
  const checked = first.needs.plan.filter((p) => !p.leftOut);
  const left = [...new Map(plans.filter((p) => p.leftOut).map((p) => [key(p), p])).values()];
  const leftOut = left.length > 0 ? [`${named(left)} left out`] : [];
  if (group.length > 1) {
    const jobs = list(group.map((f) => `'${f.job.id}'`));
    return [`add to jobs ${jobs} a preflight step checking the secrets each one needs`, ...leftOut].join('; ');
  }
  if (first.needs.own.length === 0) return [`add a preflight step checking ${named(checked)}`, ...leftOut].join('; ');
  if (checked.length === 0) return `remove the preflight ${OWN} which checks nothing the job needs`;
  return [`bring the preflight ${OWN} up to date: check ${named(checked)}`, ...leftOut].join('; ');
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
