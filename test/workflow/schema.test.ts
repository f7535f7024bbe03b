import { FeatureFlags } from '@actions/expressions/features';
import { describe, expect, it } from 'vitest';
import { loadWorkflow } from '../../src/workflow/load.js';
import { SCHEMA_FEATURES } from '../../src/workflow/validate.js';

const BACKGROUND = [
  'on: push',
  'jobs:',
  '  a:',
  '    runs-on: x',
  '    steps:',
  '      - id: s',
  '        background: true',
  '        run: sleep 9',
  '      - wait: s',
  '      - cancel: s',
  '',
].join('\n');

describe('GitHub schema feature flags', () => {
  it('pins allowBackgroundSteps: @actions/expressions still knows the flag by that name', () => {
    // If an upgrade renames or drops the flag, FeatureFlags ignores it and concurrent steps
    // become syntax errors again: fail here, loudly, instead.
    expect(Object.keys(SCHEMA_FEATURES)).toEqual(['allowBackgroundSteps']);
    expect(new FeatureFlags(SCHEMA_FEATURES).isEnabled('allowBackgroundSteps')).toBe(true);
    expect(new FeatureFlags({}).isEnabled('allowBackgroundSteps')).toBe(false);
  });

  it('accepts background, wait and cancel with the flag on', () => {
    expect(loadWorkflow('bg.yml', BACKGROUND).diagnostics).toEqual([]);
  });

  it('reports a real schema error with its exact position', () => {
    const loaded = loadWorkflow('bad.yml', BACKGROUND.replace('runs-on: x', 'runs-on: x\n    timeout-minutes: soon'));
    expect(loaded.diagnostics.map((d) => [d.message, d.range.start.line, d.range.start.column])).toEqual([
      ['`jobs.a.timeout-minutes` cannot be `soon`: it takes a number; GitHub rejects this workflow.', 5, 22],
    ]);
  });
});
