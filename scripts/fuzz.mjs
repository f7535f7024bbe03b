// Runs the property suites (test/robustness, and quickCst against yaml's parser) for minutes instead
// of a bounded number of cases, with a fresh seed (printed first, so a failure can be replayed),
// optionally over another corpus:
//   npm run fuzz -- [--minutes 5] [--seed N] [--corpus DIR]
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { minutes: { type: 'string', default: '5' }, seed: { type: 'string' }, corpus: { type: 'string' } },
});
const seed = values.seed ?? String(Math.floor(Math.random() * 2 ** 31));
const corpus = values.corpus ? resolve(values.corpus) : join(root, 'test/fixtures/corpus');
console.log(`wf-lint fuzz: seed ${seed}, ${values.minutes} min, corpus ${corpus}`);
const replayCorpus = values.corpus ? ` --corpus ${values.corpus}` : '';
console.log(`replay: npm run fuzz -- --seed ${seed} --minutes ${values.minutes}${replayCorpus}`);

// The CLI properties spawn dist/cli.js.
const build = spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const env = {
  ...process.env,
  WF_LINT_FUZZ_SEED: seed,
  WF_LINT_FUZZ_MINUTES: values.minutes,
  WF_LINT_FUZZ_CORPUS: corpus,
};
const run = spawnSync(
  process.execPath,
  [
    join(root, 'node_modules/vitest/vitest.mjs'),
    'run',
    'test/robustness/fuzz.test.ts',
    'test/workflow/quick-cst.test.ts',
  ],
  { cwd: root, stdio: 'inherit', env },
);
process.exit(run.status ?? 1);
