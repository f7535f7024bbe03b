import { build } from 'esbuild';
await build({ entryPoints: ['/tmp/prof-entry.ts'], outfile: '/tmp/prof.js', bundle: true, platform: 'node', format: 'esm', logLevel: 'error',
  banner: { js: "import { createRequire as c } from 'node:module'; const require = c(import.meta.url);" } });
