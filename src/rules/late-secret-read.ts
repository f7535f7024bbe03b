import type { CredentialIssue } from '../analysis/credentials.js';
import { runsCount, type MeasuredStats, type StepDuration } from '../analysis/durations.js';
import { AWS, AZURE, GCP, PROVIDERS } from '../analysis/providers.js';
import type { Elapsed } from '../workflow/graph.js';
import type { Step } from '../workflow/model.js';
import { earlyLoadFix, type LateRead } from '../fixers/late-secret-read.js';
import { defineRule, type ReportInput } from './rule.js';
import { brief, humanDuration, stepName } from './wording.js';

/** The default session lengths, from the providers table. */
const SESSION_LENGTHS = [
  `AWS ${humanDuration(AWS.sessionLifetime)} by default`,
  `Azure token requests fail ~${humanDuration(AZURE.sessionLifetime)} after login`,
  `GCP direct federation ~${humanDuration(GCP.directSessionLifetime)}`,
].join(', ');

const WHY = 'The read can fail with an expired token.';
const REMEDY =
  'Load the secret right after the credential step, mask it and export it (early load), ' +
  'or refresh the credentials just before this step.';

/** The credential a read depends on: the latest issue of its provider that ends before the read starts. */
function freshestCredential(issues: CredentialIssue[], elapsedFrom: (issue: CredentialIssue) => Elapsed | undefined) {
  let best: { issue: CredentialIssue; elapsed: Elapsed } | undefined;
  for (const issue of issues) {
    const elapsed = elapsedFrom(issue);
    if (elapsed && (!best || elapsed.typical < best.elapsed.typical)) best = { issue, elapsed };
  }
  return best;
}

export const lateSecretRead = defineRule({
  meta: {
    id: 'late-secret-read',
    summary: 'Secret read after its short-lived credentials may have expired',
    description:
      'A secret is read from a cloud secret store (SSM, Secrets Manager, Key Vault, Secret Manager) ' +
      'long after the OIDC credentials it needs were issued. ' +
      `OIDC sessions are short (${SESSION_LENGTHS}), so after builds and tests the read fails with an expired token. ` +
      'Load every secret right after the credential step, mask it and export it (the early-load pattern).',
    level: 'error',
    securitySeverity: 5.0,
    precision: 'high',
    tags: ['security', 'reliability', 'oidc'],
    fixable: ['safe'],
  },
  check({ workflow, facts, settings, report }) {
    const mode = settings.fix.lateSecretRead;
    for (const job of workflow.jobs) {
      const issues = facts.credentials(job);
      if (issues.length === 0) continue;
      const order = facts.order(job);
      // Findings of a job share one fix: the early-load step gathers all of the job's late reads.
      const late: LateRead[] = [];
      const pending: ReportInput[] = [];
      for (const step of job.steps) {
        for (const read of facts.secretReads(step)) {
          // A plain parameter (`aws ssm get-parameter` without --with-decryption) is not a secret.
          if (!read.secret) continue;
          const sameProvider = issues.filter((i) => i.provider === read.provider && i.step !== step);
          const found = freshestCredential(sameProvider, (i) => order.elapsed(i.step, step, (s) => facts.duration(s)));
          if (!found) continue;
          const { issue, elapsed } = found;
          if (elapsed.worst <= issue.lifetime) continue;
          const slow = slowestSteps(elapsed.path, elapsed.worst, (s) => facts.duration(s).worst);
          const [typical, worst] = [humanDuration(elapsed.typical), humanDuration(elapsed.worst)];
          const estimate =
            typical === worst
              ? `about ${typical}`
              : elapsed.typical > issue.lifetime
                ? `about ${typical} (up to ${worst})`
                : `up to ${worst} (about ${typical} typically)`;
          const credentials = `${PROVIDERS[issue.provider].displayName} credentials`;
          const issued = `step ${stepName(issue.step)} issued ${credentials}`;
          const lasting = `that last ${humanDuration(issue.lifetime)} (${issue.lifetimeReason})`;
          const what = `\`${read.label}\` in step ${stepName(step)} runs ${estimate} after ${issued} ${lasting}`;
          const slowList = slow.map((s) => slowStep(s, facts.duration(s))).join(', ');
          const when = elapsed.typical > issue.lifetime ? `about ${typical}` : `up to ${worst}`;
          const lifetime = humanDuration(issue.lifetime);
          late.push({ read, issue });
          pending.push({
            at: read.range,
            level: elapsed.typical > issue.lifetime ? 'error' : 'warning',
            message: `\`${brief(read.label, 40)}\` runs ${when} after ${credentials} that last ${lifetime}`,
            detail: `${what}. ${WHY} Slow steps in between: ${slowList}. ${REMEDY}`,
            related: [
              { range: issue.range, message: `${credentials} issued here (${issue.how})` },
              ...slow.map((s) => ({ range: s.range, message: slowStepDetail(s, facts.duration(s)) })),
            ],
          });
        }
      }
      if (pending.length === 0) continue;
      const fix = earlyLoadFix(workflow, facts, job, late, mode);
      for (const finding of pending) report({ ...finding, ...(fix ? { fix } : {}) });
    }
  },
});

/** The steps that make the path long: at most three, each at least a tenth of the worst-case total. */
function slowestSteps(path: Step[], total: number, worst: (s: Step) => number): Step[] {
  return path
    .filter((s) => worst(s) >= total / 10)
    .sort((a, b) => worst(b) - worst(a))
    .slice(0, 3)
    .sort((a, b) => a.index - b.index);
}

/**
 * A slow step in a message: `'Build' (docker build, ~15 min)`, or with the numbers of recorded runs,
 * `'Build' (p50 48 min, p90 52 min over 40 runs)`.
 */
function slowStep(step: Step, duration: StepDuration): string {
  const { provenance } = duration;
  if (provenance.source === 'measured')
    return `${stepName(step)} (p50 ${humanDuration(provenance.p50)}, ${measuredWorst(provenance)})`;
  return `${stepName(step)} (${duration.basis}, ~${humanDuration(duration.typical)})`;
}

/** A slow step at its place: `'Build': ~15 min, up to 45 min (docker build)`, or `'Build': p90 52 min over 40 runs`. */
function slowStepDetail(step: Step, duration: StepDuration): string {
  const { provenance } = duration;
  if (provenance.source === 'measured') {
    const max = `max ${humanDuration(provenance.max)}`;
    return `${stepName(step)}: ${measuredWorst(provenance)} (p50 ${humanDuration(provenance.p50)}, ${max})`;
  }
  const [typical, worst] = [humanDuration(duration.typical), humanDuration(duration.worst)];
  return `${stepName(step)}: ~${typical}, up to ${worst} (${duration.basis})`;
}

/** `p90 52 min over 40 runs`. */
function measuredWorst(stats: MeasuredStats): string {
  return `p90 ${humanDuration(stats.p90)} over ${runsCount(stats.samples)}`;
}
