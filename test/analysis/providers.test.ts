import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AWS, AZURE, CONTAINER_REGISTRY, GCP, GITHUB, VAULT } from '../../src/analysis/providers.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** Every `owner/repo[/path]` action the providers table names, as a key or a value at any depth. */
function actionsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^[a-z0-9-]+\/[a-z0-9-]+(\/[a-z0-9-]+)?$/.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(actionsIn);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => [...actionsIn(key), ...actionsIn(v)]);
  return [];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

describe('the providers table', () => {
  const actions = [...new Set(actionsIn([AWS, AZURE, GCP, VAULT, CONTAINER_REGISTRY, GITHUB]))];
  const sources = sourceFiles(join(ROOT, 'src')).map((path) => ({
    path: relative(ROOT, path),
    text: readFileSync(path, 'utf8'),
  }));

  it('names the login actions', () => {
    expect(actions).toContain('aws-actions/configure-aws-credentials');
    expect(actions).toContain('docker/login-action');
  });

  // Rules, fixers and analysis read the table; none names an action of it itself, comments and regular expressions included.
  it.each(actions)('is the only source file that names %s', (action) => {
    const spellings = [action, action.replaceAll('/', '\\/')];
    expect(sources.filter((s) => spellings.some((a) => s.text.includes(a))).map((s) => s.path)).toEqual([
      'src/analysis/providers.ts',
    ]);
  });
});
