import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

const WORKFLOW_PARSER = /[\\/]node_modules[\\/]@actions[\\/]workflow-parser[\\/]dist[\\/].*\.js$/;

/**
 * @actions/workflow-parser ships source maps whose TypeScript sources it does not ship, so Vite warned
 * once per module it inlines (67 lines of every test run). Its modules are read here without the
 * `sourceMappingURL` comment: a map without its sources adds nothing to a stack trace.
 */
const workflowParserWithoutSourceMaps: Plugin = {
  name: 'workflow-parser-without-source-maps',
  enforce: 'pre',
  load(id) {
    if (!WORKFLOW_PARSER.test(id)) return null;
    return { code: readFileSync(id, 'utf8').replace(/^\/\/# sourceMappingURL=.*$/m, ''), map: null };
  },
};

export default defineConfig({
  plugins: [workflowParserWithoutSourceMaps],
  test: {
    include: ['test/**/*.test.ts'],
    // @actions/workflow-parser imports its schema JSON without an import attribute, which plain Node 20
    // rejects (actions/languageservices#387). Inlining it lets Vite transform that import, the same way
    // the esbuild bundle resolves it, so no loader hook is needed.
    server: { deps: { inline: ['@actions/workflow-parser'] } },
    // The template reader validates with wf-lint's DefinitionInfo, as in the bundle (scripts/build.mjs).
    alias: [
      {
        find: /^\.\/schema\/definition-info\.js$/,
        replacement: new URL('src/workflow/definition-info.ts', import.meta.url).pathname,
      },
    ],
    setupFiles: ['test/setup-shell.ts'],
    testTimeout: 30_000,
  },
});
