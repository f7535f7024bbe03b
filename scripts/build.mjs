// Bundles the CLI into one ESM file: one module graph to load makes a pre-commit run start fast,
// and esbuild resolves @actions/workflow-parser's bare JSON import that plain Node 20 rejects.
// The GitHub Action's entry (action.yml runs dist/action.js) and the ESLint plugin are bundled beside it.
import { build } from 'esbuild';
import { chmod, copyFile, readFile } from 'node:fs/promises';

// Bundled CommonJS dependencies call require(), which an ES module lacks.
const requireShim = [
  "import { createRequire as __wfCreateRequire } from 'node:module';",
  'const require = __wfCreateRequire(import.meta.url);',
].join('\n');

// fdir (under tinyglobby) require()s picomatch from node_modules when it loads, for a glob API wf-lint
// never calls (tinyglobby passes its own bundled matcher): 35-40 ms of every run, and a missing
// module where the bundle runs without node_modules (the GitHub Action). Cut that lookup out.
const FDIR_OPTIONAL_PICOMATCH = /try \{\s*__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);\s*\} catch \{\}/;
const withoutFdirPicomatch = {
  name: 'fdir-without-picomatch',
  setup(b) {
    b.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      if (!FDIR_OPTIONAL_PICOMATCH.test(source)) throw new Error(`${path}: fdir's optional picomatch require changed; update scripts/build.mjs`);
      return { contents: source.replace(FDIR_OPTIONAL_PICOMATCH, ''), loader: 'js' };
    });
  },
};

const common = {
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [withoutFdirPicomatch],
};

await build({ ...common, entryPoints: ['src/cli.ts', 'src/action.ts'], banner: { js: `#!/usr/bin/env node\n${requireShim}` } });
await chmod('dist/cli.js', 0o755);

// The plugin takes the user's own yaml-eslint-parser (a peer dependency), the one ESLint also loads.
await build({
  ...common,
  entryPoints: { 'eslint-plugin': 'src/eslint-plugin/index.ts' },
  external: ['yaml-eslint-parser'],
  banner: { js: requireShim },
});

// The shell parser's WASM files ship beside the bundle (src/analysis/shell/parser.ts looks there first).
await copyFile('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm');
await copyFile('node_modules/tree-sitter-bash/tree-sitter-bash.wasm', 'dist/tree-sitter-bash.wasm');
