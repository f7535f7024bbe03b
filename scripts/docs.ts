/**
 * `npm run docs`: writes the generated parts of the documentation, which the docs tests compare:
 * each rule page's title and header (from the rule's metadata), and the README's rule table and
 * option list (from `wf-lint --help`, so run it after `npm run build`; the npm script does).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { directiveMetas } from '../src/rules/directives.js';
import { rules } from '../src/rules/registry.js';
import { helpBlock, rulesTable, withGeneratedSections } from './docs/readme.js';
import { withHeader } from './docs/rule-page.js';

export function main(): number {
  const root = process.cwd();
  const metas = [...rules.map((r) => r.meta), ...directiveMetas];
  const changed: string[] = [];
  const update = (path: string, make: (text: string) => string) => {
    const text = readFileSync(join(root, path), 'utf8');
    const updated = make(text);
    if (updated === text) return;
    writeFileSync(join(root, path), updated);
    changed.push(path);
  };
  for (const meta of metas) update(`rules-docs/${meta.id}.md`, (page) => withHeader(page, meta));
  const help = execFileSync(process.execPath, [join(root, 'dist/cli.js'), '--help'], { encoding: 'utf8' });
  update('README.md', (readme) => withGeneratedSections(readme, { rules: rulesTable(metas), help: helpBlock(help) }));
  console.log(changed.length > 0 ? `updated ${changed.join(', ')}` : 'the generated docs were up to date');
  return 0;
}
