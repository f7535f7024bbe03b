import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RuleDescriptor } from '../report/types.js';
import type { RuleMeta } from './rule.js';

export const REPOSITORY_URL = 'https://github.com/wf-lint/wf-lint';

export function ruleDocsUrl(id: string): string {
  return `${REPOSITORY_URL}/blob/main/rules-docs/${id}.md`;
}

/** The rules-docs/ folder that ships beside the code (dist/ in the package, src/ in a checkout). */
function rulesDocsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'rules-docs');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  const why = "the SARIF report takes each rule's help from its page there";
  throw new Error(`no rules-docs/ folder above ${fileURLToPath(import.meta.url)}: ${why}`);
}

/**
 * Rule metadata plus documentation, as reporters need it. Every rule has its page (the docs test
 * checks it), so a missing one is a broken installation: an error, never a help text made up here.
 */
export function describeRules(metas: RuleMeta[]): RuleDescriptor[] {
  const dir = rulesDocsDir();
  return metas.map((meta) => {
    const page = join(dir, `${meta.id}.md`);
    if (!existsSync(page))
      throw new Error(`${page} is missing: the SARIF report takes each rule's help from its page in rules-docs/`);
    return { ...meta, helpMarkdown: readFileSync(page, 'utf8'), helpUri: ruleDocsUrl(meta.id) };
  });
}
