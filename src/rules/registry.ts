import type { Rule } from './rule.js';
import { deployCancelInProgress } from './deploy-cancel-in-progress.js';
import { dynamicSecretAccess } from './dynamic-secret-access.js';
import { deployRunnerPolicy } from './deploy-runner-policy.js';
import { ignoredKey } from './ignored-key.js';
import { lateSecretRead } from './late-secret-read.js';
import { longLivedCredentials } from './long-lived-credentials.js';
import { missingConcurrency } from './missing-concurrency.js';
import { missingDeployTimeout } from './missing-deploy-timeout.js';
import { missingPreflight } from './missing-preflight.js';
import { nonStandardYaml } from './non-standard-yaml.js';
import { oidcMissingIdToken } from './oidc-missing-id-token.js';
import { secretExport } from './secret-export.js';
import { secretInCache } from './secret-in-cache.js';
import { secretInCliArgs } from './secret-in-cli-args.js';
import { secretsInherit } from './secrets-inherit.js';
import { selfHostedExposure } from './self-hosted-exposure.js';
import { syntaxError } from './syntax-error.js';
import { unmaskedSecretOutput } from './unmasked-secret-output.js';
import { unprotectedDeploy } from './unprotected-deploy.js';

/** Every rule wf-lint ships, in the order they are documented. */
export const rules: readonly Rule[] = [
  syntaxError,
  ignoredKey,
  nonStandardYaml,
  lateSecretRead,
  secretInCliArgs,
  unmaskedSecretOutput,
  secretInCache,
  missingConcurrency,
  deployCancelInProgress,
  missingDeployTimeout,
  unprotectedDeploy,
  deployRunnerPolicy,
  selfHostedExposure,
  missingPreflight,
  longLivedCredentials,
  oidcMissingIdToken,
  dynamicSecretAccess,
  secretExport,
  secretsInherit,
];

export const ruleById = new Map(rules.map((r) => [r.meta.id, r]));
