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
  /** Some positional argument must match: `git push heroku main`. */
  argument?: RegExp;
  /**
   * Over SSH: `command` runs a command on a host (`ssh user@host 'systemctl restart app'`, or a
   * heredoc); `destination` copies to a remote path (`scp app.tar user@host:/srv`, `rsync dist/ host:www`).
   */
  remote?: 'command' | 'destination';
  /** The command changes a Kubernetes cluster, which in CI is often a throwaway one (kind, minikube). */
  kubernetes?: boolean;
  kind?: DeployKind;
  /** An atomic deployment that switches a pointer to a new immutable version (DeployAction.atomic). */
  atomic?: boolean;
  /** It publishes by pushing a branch (DeployAction.branchPush). */
  branchPush?: boolean;
  /** How messages name it, when not `command subcommands flags` (settings keep the user's text). */
  label?: string;
}

const KUBECTL_DRY_RUN = ['--dry-run', '--server-dry-run'];
const S3 = /^["']?s3:\/\//i;
const GS = /^["']?gs:\/\//i;
/** `gh-pages`, `HEAD:gh-pages`, `+refs/heads/gh-pages`: a push to the Pages branch. */
const GH_PAGES_REF = /^\+?(?:[^:\s]*:)?(?:refs\/heads\/)?gh-pages$/;
const NO_CHANGESET = ['--no-execute-changeset'];
const ANSIBLE_REHEARSALS = ['--check', '-C', '--syntax-check', '--list-hosts', '--list-tasks'];

/**
 * What a deploy changes, for messages and for the rules that treat kinds apart. A database migration,
 * and an upload to a storage bucket, count only in a job whose environment names a deploy target: CI
 * migrates throwaway databases, and buckets also hold build artefacts.
 */
export type DeployKind = 'cluster' | 'infrastructure' | 'platform' | 'server' | 'pages' | 'migration' | 'upload';

/** Kinds that deploy only in a job whose environment names a deploy target. */
export const NEEDS_ENVIRONMENT = new Set<DeployKind>(['migration', 'upload']);

/**
 * CLI deploys, matched against every command of a `run:` script (wrappers such as `sudo` and `npx`
 * are seen through).
 */
export const DEPLOY_COMMANDS: DeployCommand[] = [
  // Kubernetes clusters.
  { command: 'kubectl', subcommands: ['apply'], rehearsalFlags: KUBECTL_DRY_RUN, kubernetes: true },
  { command: 'kubectl', subcommands: ['set', 'image'], rehearsalFlags: KUBECTL_DRY_RUN, kubernetes: true },
  { command: 'kubectl', subcommands: ['rollout', 'restart'], rehearsalFlags: KUBECTL_DRY_RUN, kubernetes: true },
  { command: 'helm', subcommands: ['upgrade'], rehearsalFlags: ['--dry-run'], kubernetes: true },
  { command: 'helm', subcommands: ['install'], rehearsalFlags: ['--dry-run'], kubernetes: true },
  { command: 'helmfile', subcommands: ['apply'], kubernetes: true },
  { command: 'helmfile', subcommands: ['sync'], kubernetes: true },
  { command: 'argocd', subcommands: ['app', 'sync'], kubernetes: true },
  { command: 'skaffold', subcommands: ['run'], kubernetes: true },
  { command: 'skaffold', subcommands: ['deploy'], kubernetes: true },
  // Infrastructure as code.
  { command: 'terraform', subcommands: ['apply'], kind: 'infrastructure' },
  { command: 'tofu', subcommands: ['apply'], kind: 'infrastructure' },
  { command: 'terragrunt', subcommands: ['apply'], kind: 'infrastructure' },
  { command: 'terragrunt', subcommands: ['run-all', 'apply'], kind: 'infrastructure' },
  // Terragrunt 0.73+ and 1.x: `terragrunt run [--all] [--non-interactive] -- apply`.
  { command: 'terragrunt', subcommands: ['run', 'apply'], kind: 'infrastructure' },
  { command: 'pulumi', subcommands: ['up'], rehearsalFlags: ['--preview-only'], kind: 'infrastructure' },
  { command: 'cdk', subcommands: ['deploy'], kind: 'infrastructure' },
  { command: 'aws-cdk', subcommands: ['deploy'], kind: 'infrastructure' },
  { command: 'cdktf', subcommands: ['deploy'], kind: 'infrastructure' },
  { command: 'sam', subcommands: ['deploy'], rehearsalFlags: ['--no-execute-changeset'], kind: 'infrastructure' },
  { command: 'serverless', subcommands: ['deploy'], rehearsalFlags: ['--noDeploy'], kind: 'infrastructure' },
  { command: 'sls', subcommands: ['deploy'], rehearsalFlags: ['--noDeploy'], kind: 'infrastructure' },
  { command: 'aws', subcommands: ['cloudformation', 'deploy'], rehearsalFlags: NO_CHANGESET, kind: 'infrastructure' },
  { command: 'aws', subcommands: ['cloudformation', 'update-stack'], kind: 'infrastructure' },
  { command: 'az', subcommands: ['deployment', 'group', 'create'], kind: 'infrastructure' },
  { command: 'az', subcommands: ['deployment', 'sub', 'create'], kind: 'infrastructure' },
  // Azure Developer CLI: `azd provision` applies the Bicep/Terraform of the project, `azd up` provisions and deploys.
  { command: 'azd', subcommands: ['provision'], rehearsalFlags: ['--preview'], kind: 'infrastructure' },
  { command: 'azd', subcommands: ['up'], kind: 'infrastructure' },
  { command: 'ansible-playbook', rehearsalFlags: ANSIBLE_REHEARSALS, kind: 'infrastructure' },
  // Application platforms.
  { command: 'aws', subcommands: ['ecs', 'update-service'] },
  { command: 'aws', subcommands: ['lambda', 'update-function-code'] },
  // A live function's settings (its environment variables, memory, runtime) change at once.
  { command: 'aws', subcommands: ['lambda', 'update-function-configuration'] },
  { command: 'aws', subcommands: ['elasticbeanstalk', 'update-environment'] },
  { command: 'aws', subcommands: ['apprunner', 'start-deployment'] },
  { command: 'aws', subcommands: ['s3', 'sync'], destination: S3, rehearsalFlags: ['--dryrun'] },
  { command: 'eb', subcommands: ['deploy'] },
  { command: 'az', subcommands: ['webapp', 'deploy'] },
  // Points the web app at another container image: it pulls and restarts on it.
  { command: 'az', subcommands: ['webapp', 'config', 'container', 'set'] },
  { command: 'az', subcommands: ['webapp', 'deployment', 'source', 'config-zip'] },
  { command: 'az', subcommands: ['containerapp', 'update'] },
  { command: 'az', subcommands: ['containerapp', 'up'] },
  { command: 'az', subcommands: ['functionapp', 'deploy'] },
  { command: 'azd', subcommands: ['deploy'] },
  { command: 'az', subcommands: ['functionapp', 'deployment', 'source', 'config-zip'] },
  ...gcloud([
    ['run', 'deploy'],
    ['run', 'services', 'replace'],
    ['run', 'services', 'update'],
    ['app', 'deploy'],
    ['functions', 'deploy'],
  ]),
  { command: 'gsutil', subcommands: ['rsync'], destination: GS, rehearsalFlags: ['-n'] },
  { command: 'gcloud', subcommands: ['storage', 'rsync'], destination: GS, rehearsalFlags: ['--dry-run'] },
  { command: 'flyctl', subcommands: ['deploy'], rehearsalFlags: ['--build-only'] },
  { command: 'fly', subcommands: ['deploy'], rehearsalFlags: ['--build-only'] },
  // A Heroku release switches the app to the new slug or image at once.
  { command: 'heroku', subcommands: ['container:release'], atomic: true },
  {
    command: 'git',
    subcommands: ['push'],
    argument: /(^|[/@.])heroku\b|git\.heroku\.com/i,
    label: 'git push heroku',
    atomic: true,
  },
  { command: 'vercel', flags: ['--prod'], atomic: true },
  // EAS Hosting: a deploy without `--prod` is a preview.
  { command: 'eas', subcommands: ['deploy'], flags: ['--prod'], atomic: true },
  { command: 'eas-cli', subcommands: ['deploy'], flags: ['--prod'], label: 'eas deploy', atomic: true },
  { command: 'netlify', subcommands: ['deploy'], flags: ['--prod'], atomic: true },
  { command: 'firebase', subcommands: ['deploy'], rehearsalFlags: ['--dry-run'] },
  // A Worker's upload becomes its live version in one step.
  { command: 'wrangler', subcommands: ['deploy'], rehearsalFlags: ['--dry-run'], atomic: true },
  { command: 'wrangler', subcommands: ['publish'], rehearsalFlags: ['--dry-run'], atomic: true },
  { command: 'wrangler', subcommands: ['pages', 'deploy'], atomic: true },
  { command: 'kamal', subcommands: ['deploy'] },
  // A swarm's services roll over to the stack's images.
  { command: 'docker', subcommands: ['stack', 'deploy'] },
  // Railway builds the project and switches the service to the new deployment once it is up.
  { command: 'railway', subcommands: ['up'], atomic: true },
  { command: 'cf', subcommands: ['push'] },
  { command: 'ibmcloud', subcommands: ['cf', 'push'] },
  { command: 'ibmcloud', subcommands: ['ce', 'app', 'update'] },
  { command: 'ibmcloud', subcommands: ['ce', 'application', 'update'] },
  { command: 'dep', subcommands: ['deploy'] },
  // `supabase db push` migrates the linked hosted project (only `--local` reaches the job's own database).
  {
    command: 'supabase',
    subcommands: ['db', 'push'],
    label: 'supabase db push',
    rehearsalFlags: ['--local', '--dry-run'],
  },
  // FTP: `lftp -c "open …; mirror -R dist /public_html"` uploads a site into the live folder.
  { command: 'lftp', argument: /\bmirror\s+(-R|--reverse)\b|\bmput\b/, kind: 'server', label: 'lftp mirror -R' },
  // Servers reached over SSH: a remote command, or files copied to `[user@]host:path`.
  { command: 'ssh', remote: 'command', kind: 'server' },
  {
    command: 'gcloud',
    subcommands: ['compute', 'ssh'],
    flags: ['--command'],
    kind: 'server',
    label: 'gcloud compute ssh --command',
  },
  { command: 'scp', remote: 'destination', kind: 'server' },
  { command: 'rsync', remote: 'destination', kind: 'server' },
  // GitHub Pages.
  { command: 'mkdocs', subcommands: ['gh-deploy'], kind: 'pages', branchPush: true },
  { command: 'mike', subcommands: ['deploy'], flags: ['--push'], kind: 'pages', branchPush: true },
  { command: 'mike', subcommands: ['deploy'], flags: ['-p'], kind: 'pages', branchPush: true },
  { command: 'ghp-import', flags: ['--push'], kind: 'pages', branchPush: true },
  { command: 'ghp-import', flags: ['-p'], kind: 'pages', branchPush: true },
  { command: 'gh-pages', flags: ['-d'], kind: 'pages', branchPush: true },
  { command: 'gh-pages', flags: ['--dist'], kind: 'pages', branchPush: true },
  {
    command: 'git',
    subcommands: ['push'],
    argument: GH_PAGES_REF,
    kind: 'pages',
    branchPush: true,
    label: 'git push gh-pages',
  },
  // Uploads to a bucket that serves a site: a deploy only from a job with a deploy environment.
  { command: 'aws', subcommands: ['s3', 'cp'], flags: ['--recursive'], destination: S3, kind: 'upload' },
  { command: 'gsutil', subcommands: ['cp'], flags: ['-r'], destination: GS, kind: 'upload' },
  { command: 'gcloud', subcommands: ['storage', 'cp'], flags: ['--recursive'], destination: GS, kind: 'upload' },
  { command: 'az', subcommands: ['storage', 'blob', 'upload-batch'], kind: 'upload' },
  { command: 'az', subcommands: ['storage', 'blob', 'sync'], kind: 'upload' },
  // Database migrations: a deploy only against a deploy environment.
  ...migrations([
    ['flyway', 'migrate'],
    ['liquibase', 'update'],
    ['alembic', 'upgrade'],
    ['prisma', 'migrate', 'deploy'],
    ['rails', 'db:migrate'],
    ['rake', 'db:migrate'],
    ['python', 'manage.py', 'migrate'],
    ['python3', 'manage.py', 'migrate'],
    ['php', 'artisan', 'migrate'],
    ['knex', 'migrate:latest'],
    ['sequelize', 'db:migrate'],
    ['sequelize-cli', 'db:migrate'],
    ['typeorm', 'migration:run'],
    ['dbmate', 'up'],
    ['dbmate', 'migrate'],
    ['goose', 'up'],
    ['sqitch', 'deploy'],
    ['atlas', 'migrate', 'apply'],
    ['atlas', 'schema', 'apply'],
    ['dotnet', 'ef', 'database', 'update'],
    ['mix', 'ecto.migrate'],
    ['drizzle-kit', 'migrate'],
    ['diesel', 'migration', 'run'],
    ['sqlx', 'migrate', 'run'],
  ]),
];

/**
 * gcloud subcommands, also under the `alpha` and `beta` release tracks (`gcloud beta functions deploy`).
 * Each deploys a new revision or version, and traffic moves to it once it is ready: atomic.
 */
function gcloud(rows: string[][]): DeployCommand[] {
  return rows.flatMap((subcommands) =>
    ['', 'alpha', 'beta'].map((track) => ({
      command: 'gcloud',
      subcommands: track ? [track, ...subcommands] : subcommands,
      label: ['gcloud', ...subcommands].join(' '),
      atomic: true,
    })),
  );
}

/** `[program, ...subcommands]` rows as migration patterns. */
function migrations(rows: string[][]): DeployCommand[] {
  return rows.map(([command, ...subcommands]) => ({ command, subcommands, kind: 'migration' }));
}

/**
 * An action that deploys; with `input`, only when that input matches (an absent input reads as its
 * default): `amondnet/vercel-action` deploys to production only with `--prod` in `vercel-args`.
 */
export interface DeployAction {
  /** `owner/repo`, lower-case; also matches `owner/repo/path`. */
  action: string;
  input?: { name: string; matches: RegExp; default?: string };
  kind?: DeployKind;
  kubernetes?: boolean;
  /**
   * An atomic deployment: the whole new version is uploaded as an immutable deployment, then one pointer
   * switches to it (Cloudflare Pages, GitHub Pages through actions/deploy-pages, Vercel and Netlify
   * production, Firebase Hosting). Overlapping runs cannot leave it half old, half new; the older run
   * can still finish last and leave the older version live.
   */
  atomic?: boolean;
  /**
   * It publishes a site by pushing a branch (`gh-pages`): overlapping runs race on the push, so one is
   * rejected, or an older run's forced push lands last and leaves the site stale; never half old, half new.
   */
  branchPush?: boolean;
}

/** Actions that deploy. */
export const DEPLOY_ACTIONS: DeployAction[] = [
  { action: 'aws-actions/amazon-ecs-deploy-task-definition' },
  { action: 'aws-actions/aws-cloudformation-github-deploy', kind: 'infrastructure' },
  { action: 'einaregilsson/beanstalk-deploy' },
  { action: 'azure/webapps-deploy' },
  { action: 'azure/functions-action' },
  { action: 'azure/container-apps-deploy-action' },
  { action: 'azure/arm-deploy', kind: 'infrastructure' },
  { action: 'dflook/terraform-apply', kind: 'infrastructure' },
  { action: 'dflook/tofu-apply', kind: 'infrastructure' },
  { action: 'azure/static-web-apps-deploy', input: { name: 'action', matches: /^upload$/i } },
  { action: 'azure/k8s-deploy', kind: 'cluster', kubernetes: true },
  // Wrappers that run the command given in an input: a deploy when the command is one.
  {
    action: 'steebchen/kubectl',
    input: { name: 'command', matches: /\b(apply|set\s+image|rollout\s+restart|replace)\b/ },
    kind: 'cluster',
    kubernetes: true,
  },
  {
    action: 'actions-hub/kubectl',
    input: { name: 'args', matches: /\b(apply|set\s+image|rollout\s+restart|replace)\b/ },
    kind: 'cluster',
    kubernetes: true,
  },
  {
    action: 'wyrihaximus/github-action-helm3',
    input: { name: 'exec', matches: /\bhelm\s+(upgrade|install|rollback)\b/ },
    kind: 'cluster',
    kubernetes: true,
  },
  { action: 'google-github-actions/deploy-cloudrun', atomic: true },
  { action: 'google-github-actions/deploy-appengine', atomic: true },
  { action: 'google-github-actions/deploy-cloud-functions', atomic: true },
  { action: 'akhileshns/heroku-deploy', atomic: true },
  { action: 'superfly/flyctl-actions', input: { name: 'args', matches: /^\s*deploy\b/ } },
  { action: 'amondnet/vercel-action', input: { name: 'vercel-args', matches: /--prod\b/ }, atomic: true },
  { action: 'nwtgck/actions-netlify', input: { name: 'production-deploy', matches: /^true$/i }, atomic: true },
  { action: 'netlify/actions/cli', input: { name: 'args', matches: /deploy\b.*--prod\b/ }, atomic: true },
  {
    action: 'firebaseextended/action-hosting-deploy',
    input: { name: 'channelid', matches: /^live$/i },
    atomic: true,
  },
  { action: 'w9jds/firebase-action', input: { name: 'args', matches: /^\s*deploy\b/ } },
  { action: 'serverless/github-action', input: { name: 'args', matches: /^\s*deploy\b/ }, kind: 'infrastructure' },
  {
    action: 'youyo/aws-cdk-github-actions',
    input: { name: 'cdk_subcommand', matches: /^deploy$/ },
    kind: 'infrastructure',
  },
  { action: 'cloudflare/wrangler-action', input: { name: 'command', matches: /\bpages\s+deploy\b/ }, atomic: true },
  {
    action: 'cloudflare/wrangler-action',
    input: { name: 'command', matches: /\b(deploy|publish)\b/, default: 'deploy' },
    atomic: true,
  },
  { action: 'cloudflare/pages-action', atomic: true },
  { action: 'appleboy/ssh-action', kind: 'server' },
  { action: 'appleboy/scp-action', kind: 'server' },
  { action: 'easingthemes/ssh-deploy', kind: 'server' },
  { action: 'burnett01/rsync-deployments', kind: 'server' },
  { action: 'wlixcc/sftp-deploy-action', kind: 'server' },
  { action: 'samkirkland/ftp-deploy-action', kind: 'server' },
  { action: 'jamesives/github-pages-deploy-action', kind: 'pages', branchPush: true },
  { action: 'peaceiris/actions-gh-pages', kind: 'pages', branchPush: true },
  { action: 'actions/deploy-pages', kind: 'pages', atomic: true },
  { action: 'crazy-max/ghaction-github-pages', kind: 'pages', branchPush: true },
  { action: 'mhausenblas/mkdocs-deploy-gh-pages', kind: 'pages', branchPush: true },
  { action: 'jakejarvis/s3-sync-action' },
  { action: 'google-github-actions/upload-cloud-storage', kind: 'upload' },
];

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
  'chainguard-dev/actions/setup-kind',
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

/**
 * Words in the paths of a bucket sync or copy that say it publishes artefacts rather than a site:
 * `aws s3 sync artifacts s3://get.example.com/releases/`, `aws s3 sync packages-files s3://bucket/releases/`.
 */
export const ARTEFACT_PATH_WORDS = new Set([
  'release',
  'releases',
  'artifact',
  'artifacts',
  'artefact',
  'artefacts',
  'packages',
  'binaries',
  'downloads',
  'snapshots',
  'nightly',
  'nightlies',
]);

/** Hosts reached over SSH for git, not servers: `ssh -T git@github.com`, `scp` to a git forge. */
export const GIT_HOSTS =
  /^([\w.-]+@)?(github\.com|gitlab\.com|bitbucket\.org|ssh\.dev\.azure\.com|aur\.archlinux\.org)(:|$)/i;

/** ssh and scp options that take a value: the word after them is not the host. */
export const SSH_VALUE_FLAGS = new Set(['-b', '-c', '-D', '-E', '-e', '-F', '-i', '-J', '-L', '-l', '-m', '-O', '-o']);
for (const flag of ['-p', '-P', '-Q', '-R', '-S', '-W', '-w', '-B']) SSH_VALUE_FLAGS.add(flag);

/** ssh flags that open no remote session: a tunnel (`-N`), a version or a configuration query. */
export const SSH_NO_SESSION = ['-N', '-V', '-G', '-Q'];

/** Remote commands that only probe the connection: `ssh host exit`, `ssh host echo ok`. */
export const SSH_PROBES = /^["']?(exit|true|echo|hostname|whoami|uptime|pwd|date|uname)\b/;

/**
 * Steps that publish an immutable artefact (a package version, a sha-tagged image, a release), or
 * post a deployment marker. A job whose steps publish or mark and none deploys has a build-only shape:
 * its `environment:` only gives it secrets, and it is not a deploy.
 */
export const PUBLISH_ACTIONS: string[] = [
  'pypa/gh-action-pypi-publish',
  'js-devtools/npm-publish',
  'changesets/action',
  'softprops/action-gh-release',
  'ncipollo/release-action',
  'goreleaser/goreleaser-action',
  'docker/build-push-action',
  'redhat-actions/push-to-registry',
  'helm/chart-releaser-action',
  'stefanprodan/helm-gh-pages',
  'rubygems/release-gem',
  'actions/upload-release-asset',
  'svenstaro/upload-release-action',
  // Deployment markers: they record a deploy that happens elsewhere.
  'chrnorm/deployment-action',
  'chrnorm/deployment-status',
  'bobheadxi/deployments',
  'getsentry/action-release',
  'newrelic/deployment-marker-action',
  'rollbar/github-deploy-action',
  'honeybadger-io/github-notify-deploy-action',
  'datadog/datadog-ci-action',
  'masci/datadog',
  // Hand-offs: they ask another repository's workflow to deploy, which serialises its own runs.
  'peter-evans/repository-dispatch',
  'benc-uk/workflow-dispatch',
];

/** Commands that publish an artefact or record a release (see PUBLISH_ACTIONS). */
export const PUBLISH_COMMANDS: DeployCommand[] = [
  { command: 'docker', subcommands: ['push'] },
  { command: 'docker', subcommands: ['image', 'push'] },
  { command: 'docker', subcommands: ['buildx', 'build'], flags: ['--push'] },
  { command: 'docker', subcommands: ['buildx', 'imagetools', 'create'] },
  { command: 'docker', subcommands: ['manifest', 'push'] },
  { command: 'podman', subcommands: ['push'] },
  { command: 'buildah', subcommands: ['push'] },
  { command: 'crane', subcommands: ['push'] },
  { command: 'skopeo', subcommands: ['copy'] },
  { command: 'npm', subcommands: ['publish'] },
  { command: 'yarn', subcommands: ['publish'] },
  { command: 'yarn', subcommands: ['npm', 'publish'] },
  { command: 'pnpm', subcommands: ['publish'] },
  { command: 'lerna', subcommands: ['publish'] },
  { command: 'twine', subcommands: ['upload'] },
  { command: 'poetry', subcommands: ['publish'] },
  { command: 'uv', subcommands: ['publish'] },
  { command: 'flit', subcommands: ['publish'] },
  { command: 'hatch', subcommands: ['publish'] },
  { command: 'cargo', subcommands: ['publish'] },
  { command: 'gem', subcommands: ['push'] },
  { command: 'dotnet', subcommands: ['nuget', 'push'] },
  { command: 'nuget', subcommands: ['push'] },
  { command: 'mvn', subcommands: ['deploy'] },
  { command: 'gradle', subcommands: ['publish'] },
  { command: 'gradlew', subcommands: ['publish'] },
  { command: 'helm', subcommands: ['push'] },
  { command: 'gh', subcommands: ['release', 'create'] },
  { command: 'gh', subcommands: ['release', 'upload'] },
  { command: 'goreleaser', subcommands: ['release'] },
  { command: 'aws', subcommands: ['lambda', 'publish-layer-version'] },
  { command: 'aws', subcommands: ['serverlessrepo', 'create-application-version'] },
  { command: 'sam', subcommands: ['publish'] },
  { command: 'sentry-cli', subcommands: ['releases'] },
  // Hand-offs (see PUBLISH_ACTIONS): `gh api /repos/o/r/dispatches`, `gh workflow run deploy.yml`.
  { command: 'gh', subcommands: ['api'], argument: /\/dispatches\b/ },
  { command: 'gh', subcommands: ['workflow', 'run'] },
  { command: 'curl', argument: /\/dispatches\b/ },
];

/**
 * Commands that tear an environment down. A deploy whose job, or a later job of the same run, tears it
 * down again deploys a throwaway environment for a test (`cdk deploy` … `cdk destroy` in an `always()`
 * step; a per-run resource group deleted by a cleanup job): runs never share it.
 */
export const TEARDOWN_COMMANDS: CommandPattern[] = [
  { command: 'cdk', subcommands: ['destroy'] },
  { command: 'terraform', subcommands: ['destroy'] },
  { command: 'tofu', subcommands: ['destroy'] },
  { command: 'terragrunt', subcommands: ['destroy'] },
  { command: 'terragrunt', subcommands: ['run-all', 'destroy'] },
  { command: 'pulumi', subcommands: ['destroy'] },
  { command: 'sam', subcommands: ['delete'] },
  { command: 'serverless', subcommands: ['remove'] },
  { command: 'sls', subcommands: ['remove'] },
  { command: 'aws', subcommands: ['cloudformation', 'delete-stack'] },
  { command: 'az', subcommands: ['group', 'delete'] },
  { command: 'az', subcommands: ['stack', 'group', 'delete'] },
  { command: 'az', subcommands: ['stack', 'sub', 'delete'] },
  { command: 'az', subcommands: ['vm', 'delete'] },
  { command: 'gcloud', subcommands: ['projects', 'delete'] },
];

/**
 * Words in the stacks an infrastructure deploy names that say it publishes versions of an artefact:
 * `cdk deploy LayerV3Stack-python3.12` publishes a new Lambda layer version, which nothing shares until
 * a function is pointed at it. A job that does so publishes; its other deploys (a canary of the layer)
 * test what it published.
 */
export const VERSIONED_TARGET_WORDS = new Set(['layer', 'layers']);

/** Programs that run a named task, whose name may say deploy: `make deploy`, `npm run deploy:prod`. */
export const TASK_RUNNERS: (CommandPattern & { everyArgument?: boolean; builtins?: string[] })[] = [
  { command: 'make', everyArgument: true },
  { command: 'npm', subcommands: ['run'] },
  { command: 'npm', subcommands: ['run-script'] },
  { command: 'yarn', subcommands: ['run'] },
  { command: 'yarn' },
  { command: 'pnpm', subcommands: ['run'] },
  // `pnpm db:migrate:prod`: pnpm runs a package script named as its first word, unless pnpm has a command
  // of that name (`pnpm deploy` copies a workspace package into a folder).
  { command: 'pnpm', builtins: ['deploy', 'publish', 'pack', 'exec', 'dlx', 'install', 'add', 'update'] },
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
 * `deploy_docs_status.py`, `check-deploy`, `package-deploy.sh`.
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
  'package',
  'packaging',
  'artifact',
  'artifacts',
]);

/** Infrastructure tools whose name beside `apply` makes a script a deploy: `terraform-apply.sh`, `tf_apply.sh`. */
export const APPLY_TOOLS = new Set(['terraform', 'tf', 'terragrunt', 'tofu', 'infra', 'infrastructure']);

/** Sites whose name beside `publish` makes a task a deploy: `make docs.publish`, `npm run publish:site`. */
export const PUBLISHED_SITES = new Set(['docs', 'doc', 'site', 'website', 'pages', 'ghpages']);

/**
 * `deploy.sh`, `scripts/deploy-prod.sh`, `make deploy`, `npm run deploy:web`, `scripts/terraform-apply.sh`,
 * `make docs.publish`: a name whose words include "deploy" or "rollout", "apply" beside an
 * infrastructure tool, or "publish" beside a site. For a local action (`./.github/actions/rainbow-deployment`),
 * "deployment" counts too.
 */
/**
 * A marketplace action whose repository name says it deploys (`discolabs/deploy-shopify-theme-action`,
 * `bervProject/railway-deploy`), or that it runs commands on a server over SSH or copies files there
 * (`fifsky/ssh-action`, `Pendect/action-rsyncer`); not one that only sets up a key or an agent
 * (`webfactory/ssh-agent`, `shimataro/ssh-key-action`). Evidence by name only, as a script's name is.
 */
export function actionNameSays(action: string): 'deploy' | 'server' | undefined {
  const repo = action.split('/')[1] ?? '';
  if (nameSaysDeploy(repo)) return 'deploy';
  const words = repo.toLowerCase().split(/[-_.]+/);
  const connects = words.some((w) => SERVER_ACTION_WORDS.has(w));
  return connects && !words.some((w) => SSH_SETUP_WORDS.has(w)) ? 'server' : undefined;
}
const SERVER_ACTION_WORDS = new Set(['ssh', 'scp', 'rsync', 'rsyncer', 'sftp', 'ftp']);
const SSH_SETUP_WORDS = new Set([
  'agent',
  'key',
  'keys',
  'keyscan',
  'known',
  'hosts',
  'setup',
  'tunnel',
  'proxy',
  'config',
]);

/**
 * Whether a task's name says it migrates a database (`db:migrate:prod`, `migrate-deploy`): a deploy only
 * from a job with a deploy environment, as the migration tools of the recogniser table are.
 */
export function nameSaysMigrate(name: string): boolean {
  const words = name.toLowerCase().split(/[-_.:]+/);
  return words.some((w) => w === 'migrate' || w === 'migrations') && !words.some((w) => NOT_A_MIGRATION.has(w));
}
const NOT_A_MIGRATION = new Set([
  'test',
  'tests',
  'generate',
  'create',
  'make',
  'new',
  'status',
  'check',
  'dev',
  'reset',
]);

export function nameSaysDeploy(name: string, localAction = false): boolean {
  const file = name.replace(/^["']|["']$/g, '');
  const stem = file
    .slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1)
    .replace(/\.(sh|bash|ps1|py|js|mjs|cjs|ts|rb|ya?ml)$/i, '');
  const words = stem.toLowerCase().split(/[-_.:]+/);
  const beside = (word: string, others: Set<string>) => words.includes(word) && words.some((w) => others.has(w));
  const says =
    words.includes('deploy') ||
    (localAction && words.includes('deployment')) ||
    words.includes('rollout') ||
    beside('apply', APPLY_TOOLS) ||
    beside('publish', PUBLISHED_SITES);
  return says && !words.some((w) => NOT_A_DEPLOY.has(w));
}

/**
 * Runtimes of a local action whose steps wf-lint cannot read (a Docker image, a JavaScript bundle): its
 * metadata's `name:` and `description:` are the only evidence of what it does. A composite action is
 * judged by its path like any other local action, not by words its author chose to describe it.
 */
export const OPAQUE_ACTION_RUNTIME = /^(docker|node\d*)$/;

/** Words of a local action's `name:` or `description:` that say it deploys: "Deploy MkDocs", "Deploys the site". */
const METADATA_DEPLOY_WORDS = new Set(['deploy', 'deploys', 'deploying', 'deployment', 'rollout']);

/**
 * Whether a local action's metadata says it deploys ("Deploy MkDocs"), and no word says otherwise
 * ("Check deploy status").
 */
export function metadataSaysDeploy({ name, description }: { name: string; description: string }): boolean {
  const words = wordsOf(`${name} ${description}`);
  return words.some((w) => METADATA_DEPLOY_WORDS.has(w)) && !words.some((w) => NOT_A_DEPLOY.has(w));
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
 * `fac-check-tables`, `Verify (West)`, `terraform-plan-dev`, `notify`, `backup`; or that it cleans up
 * (a per-PR namespace), renews certificates or load-tests. Such a job is not a deploy, whatever
 * environment it names or commands it runs (a helm install in an e2e job deploys the thing under
 * test), unless its name also has a word from DEPLOY_JOB_WORDS.
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
  'diff',
  'cleanup',
  'clean',
  'teardown',
  'renew',
  'renewal',
  'cert',
  'certs',
  'certificate',
  'certificates',
  'certbot',
  'loadtest',
  'k6',
  'benchmark',
  'benchmarks',
  'marker',
  'record',
  'integration',
  'delete',
  'destroy',
  'remove',
]);

/**
 * The bare words for testing among READ_ONLY_JOB_WORDS: a listed deploy action or command outweighs them
 * (`publish-test` updating production stacks with aws-cloudformation-github-deploy), unless the job tears
 * down what it deployed or only copies to a host over SSH (the tests then run there). The others (`e2e`,
 * `smoke`, `plan`, `integration`) keep the job out.
 */
export const BARE_TEST_WORDS = new Set(['test', 'tests', 'testing']);

export const DEPLOY_JOB_WORDS = new Set(['deploy', 'release', 'rollout', 'apply']);

/**
 * Words that make a job's name say it deploys, for a job whose only evidence is its `environment:`
 * (`deploy`, `deploy-prod`, `Rollout to staging`, `terraform-apply`): with no build-only shape beside it.
 */
export const DEPLOYING_NAME_WORDS = new Set([
  'deploy',
  'deploys',
  'deploying',
  'deployment',
  'rollout',
  'promote',
  'provision',
  'apply',
]);

/**
 * Whether a job's id or name says it tests, checks or reports rather than deploys. A host name in the
 * name (`publish to trace.playwright.dev`) says where the job goes, not what it does: it is left out.
 */
export function jobNameSaysReadOnly(...names: string[]): boolean {
  return readOnlyJobWords(...names).length > 0;
}

/** The words of a job's id or name that say it tests, checks or reports; none when another says it deploys. */
export function readOnlyJobWords(...names: string[]): string[] {
  const words = names.map((n) => withoutExpressions(n).replace(/\S+\.\S+/g, ' ')).flatMap(wordsOf);
  return words.some((w) => DEPLOY_JOB_WORDS.has(w)) ? [] : words.filter((w) => READ_ONLY_JOB_WORDS.has(w));
}

/**
 * Whether a job's id or name says it releases (`release`, `Release v2`) and not that it deploys: a
 * script named for deploying there most often publishes what was released (traefik's `release` job runs
 * `script/deploy.sh` to push to another repository).
 */
export function jobNameSaysRelease(...names: string[]): boolean {
  const words = names.map(withoutExpressions).flatMap(wordsOf);
  return words.some((w) => w === 'release' || w === 'releases') && !words.some((w) => DEPLOYING_NAME_WORDS.has(w));
}

/** Whether a job's id or name says it deploys (DEPLOYING_NAME_WORDS). */
export function jobNameSaysDeploy(...names: string[]): boolean {
  return names
    .map(withoutExpressions)
    .flatMap(wordsOf)
    .some((w) => DEPLOYING_NAME_WORDS.has(w));
}

/**
 * Whether an environment's name says deploy (`RTD Deploys`, `deployment`), not only a target
 * (`production`). What an expression reads (`${{ inputs.deploy_env }}`) is not part of the name.
 */
export function environmentSaysDeploy(name: string): boolean {
  return wordsOf(withoutExpressions(name)).some((w) => DEPLOYING_NAME_WORDS.has(w) || w === 'deploys');
}

/** A name with its `${{ }}` expressions left out: `Deploy ${{ matrix.app }}` is `Deploy `. */
function withoutExpressions(name: string): string {
  return name.replace(/\$\{\{[\s\S]*?\}\}/g, ' ');
}

/** `GovCloud Prod (West)` -> govcloud, prod, west; `releaseNewVersion` -> release, new, version. */
export function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** The input a reusable-workflow call passes its environment in (`environment: production`). */
export const CALL_ENVIRONMENT_INPUT = /^(environment|env|environment[-_]name|stage|target|target[-_]environment)$/i;
/**
 * A workflow input that names where a run deploys (`inputs.environment`, `inputs.deployment_prefix`): runs
 * given different values deploy to different places, so a concurrency group is keyed by it.
 */
export const TARGET_INPUT =
  /^(deploy(ment)?[-_])?(environment|env|environment[-_]name|stage|target|target[-_]environment|prefix)$/i;
/** The input by which a call asks the called workflow to apply what it plans (`apply: true`). */
export const CALL_APPLY_INPUT = /^(apply|deploy|auto[-_]?apply)$/i;

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
  // Created through the API by another system (a deploy bot, Argo CD), as often as it likes.
  'deployment',
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

/**
 * How a run finds what its own push changed, to deploy only that: actions that list the changed files,
 * and `git diff` against the commit before the push (`HEAD^`, `HEAD~1`, `github.event.before`). A run
 * that a concurrency group cancels while it waits then deploys nothing, and its changes are lost.
 */
export const CHANGED_FILES_ACTIONS = ['dorny/paths-filter', 'tj-actions/changed-files', 'step-security/changed-files'];
export const PUSH_DIFF = /\bgit\s+diff\b[^\n]*(HEAD\^|HEAD~1\b|github\.event\.before|\$\{?BEFORE\b|\bbefore\b)/;
