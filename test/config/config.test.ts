import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  applyRuleOverrides,
  ConfigError,
  effectiveLevel,
  findConfigFile,
  loadConfig,
  parseConfig,
  type Config,
} from '../../src/config/config.js';
import { DEFAULT_CREDENTIAL_NAMES } from '../../src/config/fix-settings.js';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import type { Level } from '../../src/findings.js';
import type { RuleMeta } from '../../src/rules/rule.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/config');

function meta(id: string, level: Level): RuleMeta {
  return { id, level, summary: id, description: id, securitySeverity: 5, precision: 'high', tags: [], fixable: [] };
}

const LATE_SECRET_READ = meta('late-secret-read', 'warning');
const UNPINNED_ACTION = meta('unpinned-action', 'error');
const DEPLOY_WITHOUT_ENVIRONMENT = meta('deploy-without-environment', 'note');
const KNOWN_RULES = [LATE_SECRET_READ, UNPINNED_ACTION, DEPLOY_WITHOUT_ENVIRONMENT];

function loadFixture(name: string): Config {
  return loadConfig({ cwd: FIXTURES, explicitPath: name, knownRules: KNOWN_RULES });
}

function errorOf(action: () => unknown): ConfigError {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('reads every section, in both rule forms', () => {
    const config = loadFixture('valid/full.yml');
    expect(config.path).toBe(join(FIXTURES, 'valid/full.yml'));
    expect(config.baseDir).toBe(join(FIXTURES, 'valid'));
    expect(config.rules).toEqual(
      new Map([
        ['late-secret-read', { level: 'error' }],
        ['unpinned-action', { level: 'off' }],
        ['deploy-without-environment', { level: 'warning' }],
      ]),
    );
    expect(config.ignore).toEqual(['.github/workflows/experimental-*.yml', 'legacy/**']);
    expect(config.settings).toEqual({
      ...DEFAULT_SETTINGS,
      lifetimes: { ...DEFAULT_SETTINGS.lifetimes, aws: 1800 },
      deploy: { commands: ['./ship.sh'], actions: [], runners: [] },
    });
  });

  const emptyConfigs = [
    'valid/empty.yml',
    'valid/comments-only.yml',
    'valid/empty-sections.yml',
    'valid/empty-settings.yml',
  ];
  it.each(emptyConfigs)('gives the defaults for %s', (name) => {
    const config = loadFixture(name);
    expect(config.rules.size).toBe(0);
    expect(config.ignore).toEqual([]);
    expect(config.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('reads every setting into typed values, over the defaults', () => {
    expect(loadFixture('valid/settings.yml').settings).toEqual({
      lifetimes: { aws: 1800, azure: 600, gcp: 3600, gcpDirect: 300 },
      durations: [
        { match: /detox test/, typical: 2400, worst: 4500 },
        { match: /^make docs$/, typical: 90, worst: 90 },
      ],
      identifierSecrets: /^(DESTINATION|.*_USERNAME)$/i,
      deploy: {
        commands: ['./ship.sh', 'make release', 'mytool push --prod'],
        actions: ['my-org/deploy-action'],
        runners: [
          {
            environment: 'production',
            pattern: /^production$/i,
            labelSets: [
              ['self-hosted', 'production', 'primary'],
              ['self-hosted', 'production', 'secondary'],
            ],
          },
          { environment: 'prod-*', pattern: /^prod-.*$/i, labelSets: [['group:production-runners']] },
        ],
      },
      repository: { visibility: 'public' },
      runners: { selfHosted: ['gpu-*', 'linux.2xlarge'] },
      preflight: {
        actions: ['my-org/require-secrets'],
        failFast: { 'my-org/cloud-login': ['api-key', 'region'] },
      },
      fix: { lateSecretRead: 'early-load', longLivedCredentials: DEFAULT_CREDENTIAL_NAMES },
    });
  });

  it('reads the fix settings', () => {
    expect(loadFixture('valid/fix-settings.yml').settings.fix).toEqual({
      lateSecretRead: 'refresh',
      longLivedCredentials: {
        ...DEFAULT_CREDENTIAL_NAMES,
        awsRoleToAssume: 'vars.DEPLOY_ROLE_ARN',
        awsRegion: 'eu-west-1',
        azureClientId: 'vars.AZURE_CLIENT_ID',
        gcpServiceAccount: 'secrets.GCP_DEPLOY_SA',
      },
    });
  });

  it.each([
    ['unknown-top-level-key.yml', '3:1: unknown top-level key "rule" (expected one of rules, ignore, settings)'],
    ['bad-level.yml', '4:21: rules.late-secret-read: level must be one of off, note, warning, error (got "fatal")'],
    ['bad-nested-level.yml', '3:12: rules.late-secret-read: level must be one of off, note, warning, error (got 2)'],
    ['missing-level.yml', '2:3: rules.late-secret-read: level must be one of off, note, warning, error (got null)'],
    ['unknown-rule-key.yml', '3:5: rules.late-secret-read: unknown key "severity" (expected level)'],
    [
      'rule-options.yml',
      '5:5: rules.late-secret-read.options: rules take no options; shared settings go under `settings:`',
    ],
    ['rules-not-mapping.yml', '2:3: rules: must be a mapping from rule id to level (got a list)'],
    ['ignore-not-list.yml', '1:9: ignore: must be a list of glob patterns (got "**/*.yml")'],
    ['ignore-item-not-string.yml', '3:5: ignore[1]: must be a string glob pattern (got a mapping)'],
    ['settings-not-mapping.yml', '1:11: settings: must be a mapping (got 30)'],
    [
      'fix-setting-not-a-reference.yml',
      '4:24: settings.fix.longLivedCredentials.awsRoleToAssume: must be secrets.NAME or vars.NAME',
    ],
    [
      'fix-setting-unknown-key.yml',
      '4:7: settings.fix.longLivedCredentials.awsRoleSecret: unknown setting (expected one of awsRoleToAssume, awsRegion, azureClientId, azureTenantId, azureSubscriptionId, gcpWorkloadIdentityProvider, gcpServiceAccount)',
    ],
    ['fix-setting-bad-mode.yml', '3:21: settings.fix.lateSecretRead: must be one of early-load, refresh'],
    [
      'settings-unknown-key.yml',
      '3:3: settings.lifetime: unknown setting (expected one of lifetimes, durations, identifierSecrets, deploy, repository, runners, preflight, fix); did you mean "lifetimes"?',
    ],
    [
      'settings-invalid-regex.yml',
      '2:22: settings.identifierSecrets: not a valid regular expression (Invalid regular expression: /^(DESTINATION|.*_USERNAME$/i: Unterminated group)',
    ],
    [
      'settings-duration-invalid-regex.yml',
      '3:16: settings.durations[0].match: not a valid regular expression (Invalid regular expression: /detox[/: Unterminated character class)',
    ],
    [
      'settings-lifetime-not-positive.yml',
      '3:10: settings.lifetimes.aws: must be a number of seconds greater than 0 (got 0)',
    ],
    [
      'settings-lifetime-unknown-provider.yml',
      '3:5: settings.lifetimes.gcp-direct: unknown setting (expected one of aws, azure, gcp, gcpDirect); did you mean "gcpDirect"?',
    ],
    [
      'settings-duration-without-typical.yml',
      '3:7: settings.durations[0]: must have a match (a regular expression) and a typical duration',
    ],
    [
      'settings-duration-not-a-duration.yml',
      '4:16: settings.durations[0].typical: must be a duration such as 90s, 20m or 1h (got "a while")',
    ],
    ['settings-deploy-commands-not-list.yml', '3:15: settings.deploy.commands: must be a list (got "./ship.sh")'],
    [
      'settings-repository-bad-visibility.yml',
      '3:17: settings.repository.visibility: must be one of public, private, internal (got "secret")',
    ],
    [
      'settings-deploy-runners-not-label-lists.yml',
      '4:20: settings.deploy.runners.production[0]: must be a list (got "self-hosted")',
    ],
    ['settings-deploy-empty-action.yml', '3:39: settings.deploy.actions[1]: must be a non-empty string (got " ")'],
    [
      'settings-preflight-unknown-key.yml',
      '3:5: settings.preflight.commands: unknown setting (expected one of actions, failFast)',
    ],
    [
      'settings-preflight-fail-fast-no-inputs.yml',
      '4:21: settings.preflight.failFast.my-org/login: must list at least one input',
    ],
    ['top-level-not-mapping.yml', '1:1: the top level must be a mapping (got a list)'],
    ['rule-id-not-kebab-case.yml', '2:3: rules.Late_Secret_Read: unknown rule; did you mean "late-secret-read"?'],
    ['unknown-rule.yml', '2:3: rules.late-secret-reed: unknown rule; did you mean "late-secret-read"?'],
    [
      'invalid-yaml.yml',
      '3:1: invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ],
    ['duplicate-key.yml', '3:3: invalid YAML: Map keys must be unique'],
  ])('rejects %s at the offending node', (name, expected) => {
    const error = errorOf(() => loadFixture(`invalid/${name}`));
    expect(error.message).toBe(`invalid/${name}:${expected}`);
    const [line, column] = expected.split(':').map(Number);
    expect(error).toMatchObject({ file: `invalid/${name}`, line, column });
  });

  it('names the file as given and suggests nothing when no rule id is close', () => {
    const error = errorOf(() => parseConfig('rules:\n  unknown-thing: off\n', '/repo/.wf-lint.yml', KNOWN_RULES));
    expect(error.message).toBe('/repo/.wf-lint.yml:2:3: rules.unknown-thing: unknown rule');
  });
});

describe('applyRuleOverrides', () => {
  const configured = parseConfig('rules:\n  late-secret-read:\n    level: off\n', '/repo/.wf-lint.yml', KNOWN_RULES);

  it('enables a bare --rule at its default level', () => {
    const config = applyRuleOverrides(configured, { rule: ['late-secret-read'], disable: [] }, KNOWN_RULES);
    expect(config.rules.get('late-secret-read')).toEqual({ level: 'warning' });
    expect(configured.rules.get('late-secret-read')?.level).toBe('off');
  });

  it('sets the level given with --rule ID=LEVEL', () => {
    const config = applyRuleOverrides(configured, { rule: ['unpinned-action=note'], disable: [] }, KNOWN_RULES);
    expect(config.rules.get('unpinned-action')).toEqual({ level: 'note' });
  });

  it('lets --disable win over --rule', () => {
    const overrides = { rule: ['unpinned-action=error'], disable: ['unpinned-action'] };
    expect(applyRuleOverrides(configured, overrides, KNOWN_RULES).rules.get('unpinned-action')?.level).toBe('off');
  });

  const overrideError = (rule: string[], disable: string[]) =>
    errorOf(() => applyRuleOverrides(configured, { rule, disable }, KNOWN_RULES)).message;

  it('rejects unknown rule ids, suggesting close matches', () => {
    expect(overrideError(['unpinned-actions=error'], [])).toBe(
      '--rule unpinned-actions=error: unknown rule "unpinned-actions"; did you mean "unpinned-action"?',
    );
    expect(overrideError([], ['nothing-like-it'])).toBe('--disable nothing-like-it: unknown rule "nothing-like-it"');
  });

  it('rejects unknown levels', () => {
    expect(overrideError(['late-secret-read=fatal'], [])).toBe(
      '--rule late-secret-read=fatal: level must be one of off, note, warning, error (got "fatal")',
    );
  });
});

describe('effectiveLevel', () => {
  it('uses the configured level, else the default from the rule meta', () => {
    const config = parseConfig('rules:\n  unpinned-action: note\n', '/repo/.wf-lint.yml', KNOWN_RULES);
    expect(effectiveLevel(config, UNPINNED_ACTION)).toBe('note');
    expect(effectiveLevel(config, LATE_SECRET_READ)).toBe('warning');
  });
});

describe('findConfigFile and loadConfig', () => {
  const tempDirs: string[] = [];
  afterEach(() => {
    for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  /** A temp dir holding `files` (path -> content); a path ending in `/` is a directory. */
  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'wf-lint-config-'));
    tempDirs.push(root);
    for (const [path, content] of Object.entries(files)) {
      const full = join(root, path);
      if (path.endsWith('/')) {
        mkdirSync(full, { recursive: true });
      } else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, content);
      }
    }
    return root;
  }

  it('prefers the config file in cwd', () => {
    const root = tree({ '.git/': '', '.wf-lint.yml': '', 'sub/.wf-lint.yaml': '' });
    expect(findConfigFile(join(root, 'sub'))).toBe(join(root, 'sub/.wf-lint.yaml'));
  });

  it('prefers .wf-lint.yml over .wf-lint.yaml', () => {
    const root = tree({ '.wf-lint.yml': '', '.wf-lint.yaml': '' });
    expect(findConfigFile(root)).toBe(join(root, '.wf-lint.yml'));
  });

  it('falls back to the git root, with .git as a directory or a file', () => {
    const withDir = tree({ '.git/': '', '.wf-lint.yml': '', 'a/b/': '' });
    expect(findConfigFile(join(withDir, 'a/b'))).toBe(join(withDir, '.wf-lint.yml'));
    const withFile = tree({ '.git': 'gitdir: ../main/.git', '.wf-lint.yaml': '', 'a/': '' });
    expect(findConfigFile(join(withFile, 'a'))).toBe(join(withFile, '.wf-lint.yaml'));
  });

  it('looks nowhere but cwd and the git root', () => {
    const root = tree({ '.wf-lint.yml': '', 'repo/.git/': '', 'repo/sub/.wf-lint.yml/': '', 'repo/sub/dir/': '' });
    expect(findConfigFile(join(root, 'repo/sub/dir'))).toBeUndefined();
    expect(findConfigFile(join(root, 'repo/sub'))).toBeUndefined();
  });

  it('uses the defaults, relative to cwd, when there is no config file', () => {
    const root = tree({ '.git/': '' });
    expect(loadConfig({ cwd: root, knownRules: KNOWN_RULES })).toEqual({
      rules: new Map(),
      ignore: [],
      baseDir: root,
      settings: DEFAULT_SETTINGS,
    });
  });

  it('loads the found file, without its BOM, relative to its directory', () => {
    const root = tree({ '.git/': '', '.wf-lint.yml': '\uFEFFignore: [legacy/**]\r\n', 'sub/': '' });
    const config = loadConfig({ cwd: join(root, 'sub'), knownRules: KNOWN_RULES });
    expect(config).toMatchObject({ path: join(root, '.wf-lint.yml'), baseDir: root, ignore: ['legacy/**'] });
  });

  it('reports errors with the path relative to cwd', () => {
    const root = tree({ '.git/': '', '.wf-lint.yml': 'rules:\n  late-secret-read: fatal\n', 'sub/': '' });
    expect(errorOf(() => loadConfig({ cwd: join(root, 'sub'), knownRules: KNOWN_RULES })).message).toMatch(
      /^\.\.\/\.wf-lint\.yml:2:21: /,
    );
  });

  it('rejects an explicit path that does not exist', () => {
    const root = tree({ '.wf-lint.yml': '' });
    const error = errorOf(() => loadConfig({ cwd: root, explicitPath: 'missing.yml', knownRules: KNOWN_RULES }));
    expect(error.message).toBe('missing.yml: config file not found');
  });
});
