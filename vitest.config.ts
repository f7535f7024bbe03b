import { defineConfig } from 'vitest/config';

export default defineConfig({
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
