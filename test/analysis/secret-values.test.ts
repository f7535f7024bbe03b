import { describe, expect, it } from 'vitest';
import { identifierLike } from '../../src/analysis/secret-values.js';

describe('identifier secrets', () => {
  it.each([
    'AWS_S3_BUCKET_RELEASE',
    'ARTIFACT_BUCKET_NAME_DEV',
    'ECR_REGISTRY_URL',
    'ACR_REPO_URL',
    'DOCKER_REGISTRY',
    'ELASTIC_DOCKER_REGISTRY',
    'SSH_HOST',
    'DEPLOY_SERVER',
    'EB_ENVIRONMENT',
    'EB_ENV_NAME',
    'EB_ENV_PROD',
    'AWS_ACCOUNT_ID',
    'GCP_PROJECT_ID_PROD',
    'AWS_DEFAULT_REGION_DEPLOY',
    'TWILIO_ACCOUNT_SID',
    'JIRA_BASE_URL',
    'SSH_KNOWN_HOSTS',
    'clientId',
  ])('%s holds an identifier', (name) => expect(identifierLike(name)).toBe(true));

  it.each([
    'REGISTRY_TOKEN',
    'DOCKER_REGISTRY_PASS',
    'SLACK_WEBHOOK_URL',
    'TEAMS_WEBHOOK_URL',
    'DATABASE_URL',
    'DB_URI',
    'RELEASES_MONGO_URI',
    'SERVICE_ACCOUNT_KEY',
    'OP_SERVICE_ACCOUNT_TOKEN_STAGING',
    'GH_AW_GITHUB_MCP_SERVER_TOKEN',
    'CARGO_REGISTRY_TOKEN',
    'PROJECTS_TOKEN',
    'ENV_FILE',
    'PROD_ENV',
    'AWS_SECRET_ACCESS_KEY',
    'NIGHTLIES_RSYNC_HOST_KEY',
  ])('%s holds a secret', (name) => expect(identifierLike(name)).toBe(false));
});
