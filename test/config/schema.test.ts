import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_LIFETIMES } from '../../src/analysis/credentials.js';
import { ConfigError, parseConfig } from '../../src/config/config.js';
import { DEFAULT_SETTINGS } from '../../src/config/settings.js';
import { rules } from '../../src/rules/registry.js';

// The schema and the validator must agree on the sample configs in test/fixtures/config.
const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'test/fixtures/config');
const schema = JSON.parse(readFileSync(join(ROOT, 'schema/wf-lint.schema.json'), 'utf8'));
const validate = new Ajv({ strict: false }).compile(schema);

/** Invalid samples only the validator can reject, and why the schema cannot. */
const BEYOND_THE_SCHEMA: Record<string, string> = {
  'unknown-rule.yml': 'the schema accepts any kebab-case rule id',
  'invalid-yaml.yml': 'the file does not parse, so there is nothing to check',
  'duplicate-key.yml': 'a YAML-level error that JSON data cannot express',
  'settings-invalid-regex.yml': 'JSON Schema cannot say that a string is a valid regular expression',
  'settings-duration-invalid-regex.yml': 'JSON Schema cannot say that a string is a valid regular expression',
};

function sample(directory: string, name: string): unknown {
  return parse(readFileSync(join(FIXTURES, directory, name), 'utf8'));
}

/** The rules the samples name: wf-lint's, and the two made up in test/config/config.test.ts. */
const KNOWN_RULES = [
  ...rules.map((r) => r.meta),
  ...['unpinned-action', 'deploy-without-environment'].map((id) => ({ ...rules[0].meta, id })),
];

/** The validator's verdict on a sample: undefined when it accepts it, else its error. */
function validatorError(directory: string, name: string): ConfigError | undefined {
  const path = join(FIXTURES, directory, name);
  try {
    parseConfig(readFileSync(path, 'utf8'), path, KNOWN_RULES);
    return undefined;
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
}

describe('schema/wf-lint.schema.json', () => {
  it.each(readdirSync(join(FIXTURES, 'valid')))('accepts valid/%s', (name) => {
    expect(validate(sample('valid', name)), JSON.stringify(validate.errors)).toBe(true);
  });

  const invalid = readdirSync(join(FIXTURES, 'invalid')).filter((name) => !(name in BEYOND_THE_SCHEMA));
  it.each(invalid)('rejects invalid/%s', (name) => {
    expect(validate(sample('invalid', name))).toBe(false);
  });

  it.each(readdirSync(join(FIXTURES, 'valid')))('the validator accepts valid/%s too', (name) => {
    expect(validatorError('valid', name)).toBeUndefined();
  });

  it.each(readdirSync(join(FIXTURES, 'invalid')))('the validator rejects invalid/%s too', (name) => {
    expect(validatorError('invalid', name)).toBeInstanceOf(ConfigError);
  });

  it('knows the settings the validator reads, and no others', () => {
    const settings = schema.properties.settings.properties;
    expect(Object.keys(settings)).toEqual(Object.keys(DEFAULT_SETTINGS));
    expect(Object.keys(settings.lifetimes.properties)).toEqual(Object.keys(DEFAULT_LIFETIMES));
  });
});
