import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

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
};

function sample(directory: string, name: string): unknown {
  return parse(readFileSync(join(FIXTURES, directory, name), 'utf8'));
}

describe('schema/wf-lint.schema.json', () => {
  it.each(readdirSync(join(FIXTURES, 'valid')))('accepts valid/%s', (name) => {
    expect(validate(sample('valid', name)), JSON.stringify(validate.errors)).toBe(true);
  });

  const invalid = readdirSync(join(FIXTURES, 'invalid')).filter((name) => !(name in BEYOND_THE_SCHEMA));
  it.each(invalid)('rejects invalid/%s', (name) => {
    expect(validate(sample('invalid', name))).toBe(false);
  });
});
