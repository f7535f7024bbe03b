// Bundles the CLI into one file: one module graph to load makes a pre-commit run start fast, and
// esbuild resolves @actions/workflow-parser's bare JSON import that plain Node 20 rejects.
// The command (dist/cli.cjs, src/bin.ts) runs the CLI bundle (dist/cli-main.js) from a V8 code cache.
// The GitHub Action's entry (action.yml runs dist/action.js) and the ESLint plugin are bundled beside it.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

// Bundled CommonJS dependencies call require(), which an ES module lacks.
const requireShim = [
  "import { createRequire as __wfCreateRequire } from 'node:module';",
  'const require = __wfCreateRequire(import.meta.url);',
].join('\n');

// fdir (under tinyglobby) require()s picomatch from node_modules when it loads, for a glob API wf-lint
// never calls (tinyglobby passes its own bundled matcher): 35-40 ms of every run, and a missing
// module where the bundle runs without node_modules (the GitHub Action). Cut that lookup out.
const FDIR_OPTIONAL_PICOMATCH =
  /try \{\s*__require\.resolve\("picomatch"\);\s*pm = __require\("picomatch"\);\s*\} catch \{\}/;
const withoutFdirPicomatch = {
  name: 'fdir-without-picomatch',
  setup(b) {
    b.onLoad({ filter: /[\\/]fdir[\\/]dist[\\/]index\.mjs$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      if (!FDIR_OPTIONAL_PICOMATCH.test(source))
        throw new Error(`${path}: fdir's optional picomatch require changed; update scripts/build.mjs`);
      return { contents: source.replace(FDIR_OPTIONAL_PICOMATCH, ''), loader: 'js' };
    });
  },
};

// web-tree-sitter's ES module build declares its own `var require` in the function that calls the
// outer one, which breaks once bundled as CommonJS; its CommonJS build uses require and __dirname.
const require = createRequire(import.meta.url);
const webTreeSitterCommonJs = {
  name: 'web-tree-sitter-commonjs',
  setup(b) {
    b.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

// The workflow schema's template reader validates with wf-lint's DefinitionInfo, which works each
// allowed-context list out once instead of for every value (src/workflow/definition-info.ts; the
// tests resolve it the same way, in vitest.config.ts).
const DEFINITION_INFO = new URL('../src/workflow/definition-info.ts', import.meta.url).pathname;
let definitionInfoSwaps = 0;
const wfLintDefinitionInfo = {
  name: 'wf-lint-definition-info',
  setup(b) {
    b.onResolve({ filter: /^\.\/schema\/definition-info\.js$/ }, ({ importer }) => {
      if (!/[\\/]@actions[\\/]workflow-parser[\\/]dist[\\/]templates[\\/]template-reader\.js$/.test(importer))
        return undefined;
      definitionInfoSwaps++;
      return { path: DEFINITION_INFO };
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
  plugins: [withoutFdirPicomatch, wfLintDefinitionInfo],
};

// The CLI as a script: one function expression, which src/bin.ts compiles with vm.Script and calls
// with Node's require, the paths CommonJS code expects, and the command's URL for import.meta.url
// (the WASM files and rules-docs are found from it, and it is the worker threads' script).
// Without top-level await or import(), this format needs no module loader: a code cache can hold it.
await rm('dist', { recursive: true, force: true }); // no file of an earlier layout left behind
const cliMain = await build({
  ...common,
  entryPoints: { 'cli-main': 'src/cli.ts' },
  format: 'cjs',
  supported: { 'dynamic-import': false },
  define: { 'import.meta.url': '__wfEntryUrl' },
  banner: { js: '(function (require, __filename, __dirname, __wfEntryUrl) {' },
  footer: { js: '})' },
  plugins: [withoutFdirPicomatch, wfLintDefinitionInfo, webTreeSitterCommonJs],
  write: false,
});
if (definitionInfoSwaps === 0)
  throw new Error(
    "@actions/workflow-parser's template reader no longer imports ./schema/definition-info.js; " +
      'update scripts/build.mjs and vitest.config.ts',
  );
await mkdir('dist');
// esbuild escapes non-ASCII characters in code but keeps them in the comments it preserves. An
// all-ASCII bundle becomes a one-byte string in V8, read 3x faster (src/bin.ts reads it as latin1):
// replace them, one '?' per UTF-16 unit so that the source map's columns stay right.
const output = cliMain.outputFiles.find((f) => f.path.endsWith('.js'));
const bundle = output.text.replace(/[\u0080-\uffff]/g, '?');
for (const file of cliMain.outputFiles) await writeFile(file.path, file === output ? bundle : file.contents);
const bundleHash = createHash('sha256').update(bundle).digest('hex');

// The timeline model, its renderers and the HTML report, which only `wf-lint timeline` and `--format
// html` use: the CLI require()s this bundle then (src/timelines.ts), so a lint run never loads it.
await build({
  ...common,
  entryPoints: { timeline: 'src/timeline/index.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
});

// The command is CommonJS: Node starts it ~10 ms sooner than an ES module. dist/cli.js, which the
// documentation, the tests and the GitHub Action run, is an ES module that loads it.
await build({
  ...common,
  entryPoints: { cli: 'src/bin.ts' },
  outExtension: { '.js': '.cjs' },
  format: 'cjs',
  define: { WF_LINT_BUNDLE_HASH: JSON.stringify(bundleHash) },
  banner: { js: '#!/usr/bin/env node' },
});
await writeFile('dist/cli.js', "#!/usr/bin/env node\nimport './cli.cjs';\n");
await chmod('dist/cli.cjs', 0o755);
await chmod('dist/cli.js', 0o755);
// The action runs on the Node.js that action.yml declares (`runs.using: node24`): its entry is built
// for that version, and says so in its first line (test/integrations/action.test.ts checks both).
const actionNode = /^\s+using:\s*(node\d+)\s*$/m.exec(await readFile('action.yml', 'utf8'))?.[1];
if (!actionNode) throw new Error('action.yml: no `runs.using: nodeNN`; update scripts/build.mjs');
await build({
  ...common,
  entryPoints: ['src/action.ts'],
  target: actionNode,
  banner: { js: `// wf-lint GitHub Action entry, built for ${actionNode} (action.yml runs.using)` },
});

// The plugin takes the user's own yaml-eslint-parser (a peer dependency), the one ESLint also loads.
// Without whitespace (names kept: a stack trace still reads): it is a second copy of the rules, and
// the package stays under 1 MB to download (test/integrations/package.test.ts).
await build({
  ...common,
  entryPoints: { 'eslint-plugin': 'src/eslint-plugin/index.ts' },
  external: ['yaml-eslint-parser'],
  banner: { js: requireShim },
  minifyWhitespace: true,
});

// The plugin's types, for an eslint.config.ts that imports it (package.json exports them).
await copyFile('src/eslint-plugin/public.d.ts', 'dist/eslint-plugin.d.ts');

// The shell parser's WASM files ship beside the bundle (src/shell-parser/wasm.ts looks there first).
await copyFile('node_modules/web-tree-sitter/tree-sitter.wasm', 'dist/tree-sitter.wasm');
await copyFile('node_modules/tree-sitter-bash/tree-sitter-bash.wasm', 'dist/tree-sitter-bash.wasm');
