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
function rulesDocsDir(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'rules-docs');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

/** Rule metadata plus documentation, as reporters need it. */
export function describeRules(metas: RuleMeta[]): RuleDescriptor[] {
  const dir = rulesDocsDir();
  return metas.map((meta) => {
    const page = dir ? join(dir, `${meta.id}.md`) : undefined;
    const helpMarkdown = page && existsSync(page) ? readFileSync(page, 'utf8') : `${meta.summary}\n\n${meta.description}\n`;
    return { ...meta, helpMarkdown, helpUri: ruleDocsUrl(meta.id) };
  });
}
