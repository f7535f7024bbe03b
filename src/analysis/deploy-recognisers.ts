import type { CommandPattern } from './match.js';

/**
 * What wf-lint recognises as a deploy. Users extend the tables in .wf-lint.yml:
 *
 *   settings:
 *     deploy:
 *       commands: ["./ship.sh", "make release", "mytool push --prod"]
 *       actions: ["my-org/deploy-action"]
 *     preflight:
 *       actions: ["my-org/check-secrets"]
 */
export interface DeployCommand extends CommandPattern {
  /** Flags that make the command a rehearsal rather than a deploy (`--dry-run`). */
  rehearsalFlags?: string[];
  /**
   * An argument after the first positional one (the destination of `sync SOURCE DEST`) must match:
   * `aws s3 sync ./dist s3://bucket` deploys, `aws s3 sync s3://bucket ./dist` downloads.
   */
  destination?: RegExp;
  /** The command changes a Kubernetes cluster, which in CI is often a throwaway one (kind, minikube). */
  kubernetes?: boolean;
  /** How messages name it, when not `command subcommands flags` (settings keep the user's text). */
  label?: string;
}

const KUBECTL_DRY_RUN = ['--dry-run', '--server-dry-run'];

/**
 * CLI deploys, matched against every command of a `run:` script (wrappers such as `sudo` and `npx`
 * are seen through).
 */
export const DEPLOY_COMMANDS: DeployCommand[] = [
  { command: 'kubectl', subcommands: ['apply'], rehearsalFlags: KUBECTL_DRY_RUN, kubernetes: true },
  { command: 'kubectl', subcommands: ['set', 'image'], rehearsalFlags: KUBECTL_DRY_RUN, kubernetes: true },
  { command: 'kubectl', subcommands: ['rollout', 'restart'], rehearsalFlags: KUBECTL_DRY_RUN, kubernetes: true },
  { command: 'helm', subcommands: ['upgrade'], rehearsalFlags: ['--dry-run'], kubernetes: true },
  { command: 'helm', subcommands: ['install'], rehearsalFlags: ['--dry-run'], kubernetes: true },
  { command: 'helmfile', subcommands: ['apply'], kubernetes: true },
  { command: 'helmfile', subcommands: ['sync'], kubernetes: true },
  { command: 'terraform', subcommands: ['apply'] },
  { command: 'tofu', subcommands: ['apply'] },
  { command: 'terragrunt', subcommands: ['apply'] },
  { command: 'terragrunt', subcommands: ['run-all', 'apply'] },
  { command: 'pulumi', subcommands: ['up'] },
  { command: 'cdk', subcommands: ['deploy'] },
  { command: 'aws-cdk', subcommands: ['deploy'] },
  { command: 'sam', subcommands: ['deploy'], rehearsalFlags: ['--no-execute-changeset'] },
  { command: 'serverless', subcommands: ['deploy'], rehearsalFlags: ['--noDeploy'] },
  { command: 'sls', subcommands: ['deploy'], rehearsalFlags: ['--noDeploy'] },
  { command: 'aws', subcommands: ['ecs', 'update-service'] },
  { command: 'aws', subcommands: ['lambda', 'update-function-code'] },
  { command: 'aws', subcommands: ['cloudformation', 'deploy'], rehearsalFlags: ['--no-execute-changeset'] },
  { command: 'aws', subcommands: ['s3', 'sync'], destination: /^["']?s3:\/\//i, rehearsalFlags: ['--dryrun'] },
  { command: 'az', subcommands: ['webapp', 'deploy'] },
  { command: 'az', subcommands: ['webapp', 'deployment', 'source', 'config-zip'] },
  { command: 'az', subcommands: ['containerapp', 'update'] },
  { command: 'az', subcommands: ['containerapp', 'up'] },
  { command: 'az', subcommands: ['functionapp', 'deploy'] },
  { command: 'az', subcommands: ['functionapp', 'deployment', 'source', 'config-zip'] },
  { command: 'az', subcommands: ['deployment', 'group', 'create'] },
  { command: 'az', subcommands: ['deployment', 'sub', 'create'] },
  { command: 'gcloud', subcommands: ['run', 'deploy'] },
  { command: 'gcloud', subcommands: ['app', 'deploy'] },
  { command: 'gcloud', subcommands: ['functions', 'deploy'] },
  { command: 'flyctl', subcommands: ['deploy'], rehearsalFlags: ['--build-only'] },
  { command: 'fly', subcommands: ['deploy'], rehearsalFlags: ['--build-only'] },
  { command: 'vercel', flags: ['--prod'] },
  { command: 'netlify', subcommands: ['deploy'], flags: ['--prod'] },
  { command: 'firebase', subcommands: ['deploy'], rehearsalFlags: ['--dry-run'] },
  { command: 'wrangler', subcommands: ['deploy'], rehearsalFlags: ['--dry-run'] },
  { command: 'kamal', subcommands: ['deploy'] },
  { command: 'dep', subcommands: ['deploy'] },
  { command: 'ansible-playbook', rehearsalFlags: ['--check', '-C', '--syntax-check', '--list-hosts', '--list-tasks'] },
];

/** Actions that deploy (`owner/repo`, lower-case). */
export const DEPLOY_ACTIONS: string[] = [
  'aws-actions/amazon-ecs-deploy-task-definition',
  'aws-actions/aws-cloudformation-github-deploy',
  'azure/webapps-deploy',
  'azure/functions-action',
  'azure/container-apps-deploy-action',
  'azure/arm-deploy',
  'google-github-actions/deploy-cloudrun',
  'google-github-actions/deploy-appengine',
  'google-github-actions/deploy-cloud-functions',
];

/** Actions that deploy to a Kubernetes cluster (see `kubernetes` above). */
export const KUBERNETES_DEPLOY_ACTIONS: string[] = ['azure/k8s-deploy'];

/**
 * Throwaway clusters. A job that creates one runs kubectl and helm against it to test, not to
 * deploy: kind, minikube and k3d clusters in end-to-end jobs are the commonest "deploy" that is not.
 */
export const LOCAL_CLUSTER_COMMANDS: CommandPattern[] = [
  { command: 'kind', subcommands: ['create', 'cluster'] },
  { command: 'minikube', subcommands: ['start'] },
  { command: 'k3d', subcommands: ['cluster', 'create'] },
  { command: 'ctlptl', subcommands: ['create', 'cluster'] },
];

export const LOCAL_CLUSTER_ACTIONS: string[] = [
  'helm/kind-action',
  'engineerd/setup-kind',
  'container-tools/kind-action',
  'medyagh/setup-minikube',
  'manusa/actions-setup-minikube',
  'absaoss/k3d-action',
  'nolar/setup-k3d-k3s',
  'debianmaster/actions-k3s',
  'jupyterhub/action-k3s-helm',
  'balchua/microk8s-actions',
];

/** Programs that run a named task, whose name may say deploy: `make deploy`, `npm run deploy:prod`. */
export const TASK_RUNNERS: (CommandPattern & { everyArgument?: boolean })[] = [
  { command: 'make', everyArgument: true },
  { command: 'npm', subcommands: ['run'] },
  { command: 'npm', subcommands: ['run-script'] },
  { command: 'yarn', subcommands: ['run'] },
  { command: 'yarn' },
  { command: 'pnpm', subcommands: ['run'] },
  { command: 'bun', subcommands: ['run'] },
  { command: 'just' },
  { command: 'task' },
  { command: 'cap', everyArgument: true },
];

/** Package-manager prefixes that run a tool from node_modules or a virtualenv: `yarn cdk deploy`. */
export const TOOL_RUNNERS: CommandPattern[] = [
  { command: 'yarn' },
  { command: 'pnpm', subcommands: ['exec'] },
  { command: 'pnpm' },
  { command: 'npm', subcommands: ['exec'] },
  { command: 'poetry', subcommands: ['run'] },
  { command: 'uv', subcommands: ['run'] },
  { command: 'pipenv', subcommands: ['run'] },
  { command: 'bundle', subcommands: ['exec'] },
];

/**
 * Words that make a name containing "deploy" mean something else: `prepare-deploy.sh`,
 * `deploy_docs_status.py`, `check-deploy`.
 */
export const NOT_A_DEPLOY = new Set([
  'pre',
  'post',
  'prepare',
  'status',
  'test',
  'tests',
  'check',
  'verify',
  'validate',
  'lint',
  'dry',
  'dryrun',
  'plan',
  'diff',
  'undeploy',
]);

/** `deploy.sh`, `scripts/deploy-prod.sh`, `make deploy`, `npm run deploy:web`: a name whose words include "deploy". */
export function nameSaysDeploy(name: string): boolean {
  const file = name.replace(/^["']|["']$/g, '');
  const stem = file
    .slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1)
    .replace(/\.(sh|bash|ps1|py|js|mjs|cjs|ts|rb|ya?ml)$/i, '');
  const words = stem.toLowerCase().split(/[-_.:]+/);
  return words.includes('deploy') && !words.some((w) => NOT_A_DEPLOY.has(w));
}

/**
 * Environments name deploy targets, but many only gate secrets for publishing, signing or automation
 * (`release`, `pypi`, `npm-publish`, `automations`, `code-coverage`, `analytics`). A literal name
 * counts when one of its words names a deploy target and none says read-only (`Prod (Readonly)`); an
 * expression counts unless every name it can give (`&& 'release' || ''`) fails that test. A `url:`
 * proves nothing: publishing environments (`pypi`) carry one too.
 */
export const DEPLOY_TARGET_WORDS = new Set([
  'prod',
  'production',
  'preprod',
  'preproduction',
  'nonprod',
  'staging',
  'stage',
  'stg',
  'dev',
  'development',
  'qa',
  'uat',
  'preview',
  'review',
  'sandbox',
  'demo',
  'live',
  'perf',
  'performance',
  'training',
  'canary',
  'infra',
  'pages',
  'deploy',
  'deploys',
  'deployment',
]);
/** Words that say the job only reads the target: `Prod (Readonly)`. */
export const READ_ONLY_WORDS = new Set(['readonly', 'read', 'ro']);

/** Whether an environment name (or expression) names a deploy target. */
export function environmentDeploys(name: string): boolean {
  if (!name.includes('${{')) return namesTarget(name);
  // `${{ github.event_name == 'push' && 'release' || '' }}`: judge by the names it can give.
  const results = [...name.matchAll(/(?:&&|\|\||\?|:)\s*'([^']+)'/g)].map((m) => m[1]);
  return results.length === 0 || results.some(namesTarget);
}

function namesTarget(name: string): boolean {
  const words = wordsOf(name);
  return words.some((w) => DEPLOY_TARGET_WORDS.has(w)) && !words.some((w) => READ_ONLY_WORDS.has(w));
}

/**
 * Words in a job's id or name that say it tests, checks or reports: `regression-testing`, `e2e`,
 * `fac-check-tables`, `Verify (West)`, `terraform-plan-dev`, `notify`, `backup`. Such a job is not a
 * deploy, whatever environment it names or commands it runs (a helm install in an e2e job deploys the
 * thing under test), unless its name also has a word from DEPLOY_JOB_WORDS.
 */
export const READ_ONLY_JOB_WORDS = new Set([
  'test',
  'tests',
  'testing',
  'regression',
  'smoke',
  'e2e',
  'cypress',
  'playwright',
  'verify',
  'verification',
  'check',
  'checks',
  'validate',
  'validation',
  'plan',
  'notify',
  'notification',
  'notifications',
  'lint',
  'scan',
  'audit',
  'report',
  'display',
  'status',
  'download',
  'backup',
]);

export const DEPLOY_JOB_WORDS = new Set(['deploy', 'release', 'rollout']);

/** Whether a job's id or name says it tests, checks or reports rather than deploys. */
export function jobNameSaysReadOnly(...names: string[]): boolean {
  const words = names.flatMap(wordsOf);
  return words.some((w) => READ_ONLY_JOB_WORDS.has(w)) && !words.some((w) => DEPLOY_JOB_WORDS.has(w));
}

/** `GovCloud Prod (West)` -> govcloud, prod, west; `releaseNewVersion` -> release, new, version. */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Events that can start a run while another is still going. A workflow started only by
 * `workflow_call` is not listed: its caller owns concurrency.
 */
export const OVERLAPPING_TRIGGERS = new Set([
  'push',
  'workflow_dispatch',
  'schedule',
  'release',
  'repository_dispatch',
  'workflow_run',
  'merge_group',
]);

export function canOverlap(event: string): boolean {
  return OVERLAPPING_TRIGGERS.has(event) || event.startsWith('pull_request');
}

/** `"make release"` or `"./ship.sh --prod"` from settings: program, subcommands, required flags. */
export function commandPatternOf(text: string): DeployCommand | undefined {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  const [command, ...rest] = words;
  const subcommands = rest.filter((w) => !w.startsWith('-'));
  const flags = rest.filter((w) => w.startsWith('-'));
  return {
    label: words.join(' '),
    command: command.slice(command.lastIndexOf('/') + 1),
    ...(subcommands.length ? { subcommands } : {}),
    ...(flags.length ? { flags } : {}),
  };
}
