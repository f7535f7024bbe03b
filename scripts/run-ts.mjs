// Runs one of the TypeScript scripts of scripts/ (`node scripts/run-ts.mjs scripts/docs.ts ARGS`):
// bundles it with esbuild, as scripts/build.mjs bundles the CLI, then calls its `main(args)`, whose
// result is the exit code. Scripts find the repository from the working directory (npm runs them at its root).
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
const dir = mkdtempSync(join(tmpdir(), 'wf-lint-script-'));
try {
  const outfile = join(dir, 'script.mjs');
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // Bundled CommonJS dependencies call require(), which an ES module lacks.
    banner: {
      js:
        "import { createRequire as __wfCreateRequire } from 'node:module'; " +
        'const require = __wfCreateRequire(import.meta.url);',
    },
  });
  const { main } = await import(pathToFileURL(outfile).href);
  process.exitCode = await main(args);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
