import { FORK_EVENTS, forkTriggers, triggersReachingJob } from '../analysis/fork-exposure.js';
import { labelPattern, runsOn, type RunnerLabel } from '../analysis/runners.js';
import type { Level } from '../findings.js';
import type { Trigger } from '../workflow/model.js';
import { defineRule } from './rule.js';
import { brief } from './wording.js';

const SUMMARY = 'Self-hosted runner reachable by code from a fork';
const DESCRIPTION = [
  'A job on a self-hosted runner (the `self-hosted` label, or a label listed in `settings.runners.selfHosted`)',
  'in a workflow that `pull_request_target` starts, or, in a public repository, `pull_request`,',
  '`pull_request_review`, `pull_request_review_comment`, `issue_comment` or `workflow_run`. Code or input',
  'from a fork then runs on a machine that persists between jobs and sits inside the network, where it',
  'can keep a foothold, read later jobs’ secrets and reach internal hosts. A job whose `if:` keeps forks',
  'out is not reported. When the repository’s visibility is unknown the finding is a warning that says so.',
].join(' ');

const HARM = [
  'A self-hosted runner keeps its disk and processes between jobs and sits inside your network:',
  'a fork’s code can stay on it, read the secrets of later jobs and reach internal hosts.',
].join(' ');

const REMEDY = [
  'Run this job on a GitHub-hosted runner, or keep forks out with',
  '`if: github.event.pull_request.head.repo.full_name == github.repository`,',
  'or use ephemeral runners in a group that this repository’s untrusted workflows cannot use.',
].join(' ');

const UNKNOWN = [
  'wf-lint does not know whether the repository is public: set `settings.repository.visibility`',
  '(the GitHub Action reads it from the event) to make this an error or drop it.',
].join(' ');

const FOR_FORKS = {
  always: (event: string) => `\`${event}\` starts this workflow for pull requests from forks.`,
  public: (event: string) => `\`${event}\` starts this workflow for forks of a public repository.`,
};

export const selfHostedExposure = defineRule({
  meta: {
    id: 'self-hosted-exposure',
    summary: SUMMARY,
    description: DESCRIPTION,
    level: 'error',
    securitySeverity: 8.0,
    precision: 'high',
    tags: ['security', 'runners'],
    fixable: [],
  },
  check({ workflow, settings, report }) {
    const triggers = forkTriggers(workflow);
    if (triggers.length === 0) return;
    const visibility = settings.repository.visibility;
    const configured = settings.runners.selfHosted.map(labelPattern);
    const selfHosted = (l: RunnerLabel) =>
      l.text.toLowerCase() === 'self-hosted' || configured.some((p) => p.test(l.text));
    for (const job of workflow.jobs) {
      const request = runsOn(job, workflow.file)?.requests.find((r) => r.labels.some(selfHosted));
      const label = request?.labels.find(selfHosted);
      if (!request || !label) continue;
      const leg = request.leg ? ` (${request.leg})` : '';
      const reaching = triggersReachingJob(job, triggers);
      const always = reaching.filter((t) => FORK_EVENTS[t.event] === 'always');
      // Unknown visibility: `pull_request_target` alone is an error; the others may be harmless.
      const exposing = visibility === 'public' ? reaching : always.length > 0 || visibility ? always : reaching;
      if (exposing.length === 0) continue;
      const level: Level = always.length > 0 || visibility === 'public' ? 'error' : 'warning';
      const events = exposing.map((t) => `\`${t.event}\``).join(', ');
      const who = level === 'warning' ? `if the repository is public, ${events}` : events;
      report({
        at: label.range,
        level,
        message:
          `Job '${brief(job.id)}' on self-hosted \`${brief(label.text)}\` can run fork code via ${brief(events, 48)}` +
          (level === 'warning' ? ' (if public)' : ''),
        detail:
          `Job '${job.id}' runs on the self-hosted runner label \`${label.text}\`${leg}, and ${who} ` +
          `can start it with code or input from a fork. ${HARM} ${REMEDY}` +
          (level === 'warning' ? ` ${UNKNOWN}` : ''),
        related: exposing.map((t: Trigger) => ({ range: t.range, message: FOR_FORKS[FORK_EVENTS[t.event]](t.event) })),
      });
    }
  },
});
