import { anyOf, literalPattern } from './match.js';
import { AWS, AZURE, CONTAINER_REGISTRY, GCP } from './providers.js';

/**
 * How long steps usually take, by class, in minutes: `typical` is a common run, `worst` a slow but
 * ordinary one (cold caches, a busy runner). Explicit hints win over this table: a
 * `# wf-lint: duration=45m` comment on the step, `settings.durations` in .wf-lint.yml, then the
 * step's `timeout-minutes` as its worst case.
 */
export interface DurationClass {
  name: string;
  typical: number;
  worst: number;
}

export const CLASSES = {
  long: { name: 'long', typical: 15, worst: 45 },
  medium: { name: 'medium', typical: 2, worst: 8 },
  short: { name: 'short', typical: 0.25, worst: 1 },
  unknown: { name: 'unclassified', typical: 1, worst: 5 },
} satisfies Record<string, DurationClass>;

export interface DurationRule {
  class: keyof typeof CLASSES;
  /** Matched against `uses:` (owner/repo, lower-case, without version). */
  actions?: RegExp;
  /** Matched against the text of each command of a script (each line when the shell is not read). */
  script?: RegExp;
}

/** Logins and SDK set-ups: a few API calls. */
const LOGINS = new RegExp(
  [
    AWS.loginAction,
    AZURE.loginAction,
    GCP.loginAction,
    GCP.setupAction,
    CONTAINER_REGISTRY.loginAction,
    AWS.registryLoginAction,
  ]
    .map(literalPattern)
    .join('|'),
);

/** A `uses:` name that is one of `names`, whole. */
function usesOneOf(names: RegExp[]): RegExp {
  return new RegExp(`^(${anyOf(names)})$`);
}

/** A script command that runs one of `commands`, anywhere in it as whole words. */
function runsOneOf(commands: RegExp[]): RegExp {
  return new RegExp(`\\b(${anyOf(commands)})\\b`);
}

/** A script command that starts with one of `commands`, as whole words. */
function startsWithOneOf(commands: RegExp[]): RegExp {
  return new RegExp(`^\\s*(${anyOf(commands)})\\b`);
}

/** First match wins, long before medium before short, so a script that installs and then tests is long. */
export const DURATION_RULES: DurationRule[] = [
  {
    class: 'long',
    actions: usesOneOf([
      /docker\/build-push-action|docker\/bake-action|cypress-io\/github-action|github\/codeql-action\/analyze/,
      /gradle\/gradle-build-action|hashicorp\/tfc-workflows-github\/.*apply.*|nick-fields\/retry/,
      /aws-actions\/amazon-ecs-deploy-task-definition|redhat-actions\/buildah-build/,
    ]),
    script: runsOneOf([
      // Builds.
      /make(\s+\S+)*|cargo (build|test|nextest)|go (build|test)|mvnw?|gradlew?|bazel|cmake --build|ninja/,
      /dotnet (build|test|publish)|xcodebuild|docker (build|buildx build|compose (up|build|run))/,
      // Package scripts and test runners.
      /(npm|pnpm|yarn|bun) (run )?(build|test|e2e|test:\S+|e2e:\S+)|npx (playwright|cypress|jest|vitest)/,
      /pytest|tox|nox|rspec|bundle exec|phpunit/,
      // Infrastructure changes and the waits for a rollout.
      /terraform apply|tofu apply|pulumi up|cdk deploy|kubectl rollout status|kubectl wait/,
      /helm (upgrade|install)\b.*--wait|aws (cloudformation deploy|ecs wait|deploy wait)/,
      /gcloud (builds submit|run deploy)|packer build|ansible-playbook/,
    ]),
  },
  {
    class: 'medium',
    actions: usesOneOf([
      /actions\/cache(\/restore)?|actions\/setup-(node|python|java|go|dotnet|ruby)|ruby\/setup-ruby/,
      /pnpm\/action-setup|actions\/download-artifact|actions\/upload-artifact/,
      /docker\/setup-buildx-action|hashicorp\/setup-terraform/,
    ]),
    // Installs, downloads and plans.
    script: runsOneOf([
      /(npm|pnpm|yarn|bun) (ci|install|i)\b|pip install|poetry install|uv sync|bundle install|composer install/,
      /go mod download|apt(-get)? (install|update)|brew install|docker (pull|push)|terraform (init|plan)/,
      /helm dependency/,
    ]),
  },
  {
    class: 'short',
    actions: usesOneOf([/actions\/checkout|actions\/github-script/, LOGINS, /actions\/setup-\w+/]),
    // Shell plumbing, text tools and single API calls (reads, logins, lookups) take seconds.
    script: startsWithOneOf([
      /echo|printf|export|cat|ls|cd|mkdir|cp|mv|rm|touch|chmod|ln|test|\[|\[\[|true|false|:|exit/,
      /env|printenv|set|unset|read|source|\.|date|sleep|basename|dirname|realpath|pwd|whoami|uname/,
      /jq|yq|sed|awk|tr|cut|head|tail|grep|sort|uniq|wc|tee|base64|sha256sum|shasum|md5sum|xargs/,
      /git (rev-parse|config|describe|log|status|diff|tag|show|remote|branch|add|commit)/,
      /gh (api|auth|secret|variable|pr (view|list|comment)|issue (view|list|comment))/,
      /aws (ssm|secretsmanager|sts|ecr get-login-password)|az (keyvault|account|acr login)/,
      /gcloud (secrets|config|auth print)|vault (kv|read|login)/,
    ]),
  },
];
