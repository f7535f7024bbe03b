import type { CredentialIssue } from '../analysis/credentials.js';
import { AWS, AZURE, GCP, PROVIDERS } from '../analysis/providers.js';
import type { Elapsed } from '../workflow/graph.js';
import type { Step } from '../workflow/model.js';
import { earlyLoadFix, type LateRead } from '../fixers/late-secret-read.js';
import { defineRule, type ReportInput } from './rule.js';
import { humanDuration, stepName } from './wording.js';

/** The default session lengths, from the providers table. */
const SESSION_LENGTHS = [
  `AWS ${humanDuration(AWS.sessionLifetime)} by default`,
  `Azure token requests fail ~${humanDuration(AZURE.sessionLifetime)} after login`,
  `GCP direct federation ~${humanDuration(GCP.directSessionLifetime)}`,
].join(', ');

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
      'A secret is read from a cloud secret store (SSM, Secrets Manager, Key Vault, Secret Manager) long after the OIDC credentials it needs were issued. ' +
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
          late.push({ read, issue });
          pending.push({
            at: read.range,
            level: elapsed.typical > issue.lifetime ? 'error' : 'warning',
            message:
              `\`${read.label}\` in step ${stepName(step)} runs ${estimate} after step ${stepName(issue.step)} issued ${PROVIDERS[issue.provider].displayName} credentials that last ${humanDuration(issue.lifetime)} (${issue.lifetimeReason}). ` +
              `The read can fail with an expired token. Slow steps in between: ${slow.map((s) => `${stepName(s)} (${facts.duration(s).basis}, ~${humanDuration(facts.duration(s).typical)})`).join(', ')}. ` +
              'Load the secret right after the credential step, mask it and export it (early load), or refresh the credentials just before this step.',
            related: [
              {
                range: issue.range,
                message: `${PROVIDERS[issue.provider].displayName} credentials issued here (${issue.how})`,
              },
              ...slow.map((s) => ({
                range: s.range,
                message: `${stepName(s)}: ~${humanDuration(facts.duration(s).typical)}, up to ${humanDuration(facts.duration(s).worst)} (${facts.duration(s).basis})`,
              })),
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
