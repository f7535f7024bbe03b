/**
 * `npm run new-rule <id>`: the files of a new rule, ready to fill in. It writes src/rules/<id>.ts (the
 * metadata and a small example check), registers it in src/rules/registry.ts, and writes
 * rules-docs/<id>.md from rules-docs/TEMPLATE.md and test/fixtures/<id>/ with one positive and one
 * negative fixture: TEMPLATE.md's two examples, which the example check gets right. Every check of
 * `npm test` passes on the result; then replace the example with the real rule, everywhere.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RuleMeta } from '../src/rules/rule.js';
import { lintedExamples, withHeader } from './docs/rule-page.js';

/** What the example check of a new rule says about itself. */
function exampleMeta(id: string): RuleMeta {
  return {
    id,
    summary: 'Job without `timeout-minutes`',
    description:
      'A job that sets no `timeout-minutes:` runs for up to 6 hours when a step hangs, holding a runner all that time.',
    level: 'warning',
    securitySeverity: 1.0,
    precision: 'high',
    tags: [],
    fixable: [],
  };
}

const camelCase = (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function ruleSource(meta: RuleMeta): string {
  return `import { defineRule } from './rule.js';

// An example check, with its metadata, rules-docs page and fixtures: replace all four with the real rule.
export const ${camelCase(meta.id)} = defineRule({
  meta: {
    id: '${meta.id}',
    summary: '${meta.summary}',
    description:
      '${meta.description}',
    level: '${meta.level}',
    securitySeverity: ${meta.securitySeverity.toFixed(1)},
    precision: '${meta.precision}',
    tags: [],
    fixable: [],
  },
  check({ workflow, report }) {
    for (const job of workflow.jobs) {
      if (job.timeoutMinutes || job.uses) continue;
      report({
        at: job.keyRange,
        message: \`Job '\${job.id}' sets no \\\`timeout-minutes:\\\`, so a hung step holds the runner for 6 hours.\`,
      });
    }
  },
});
`;
}

/** The template as the new rule's page: its id, its header, without the template's own notes. */
function rulePage(template: string, meta: RuleMeta): string {
  const page = template
    .replaceAll('rule-id', meta.id)
    .split('\n')
    .filter((line) => !line.startsWith('>') && line.trim() !== '<!-- optional -->')
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
  return withHeader(page, meta);
}

/**
 * Adds the rule's import and its entry at the end of `rules`, or says what to add when the
 * registry's shape is not the expected one.
 */
function register(registry: string, meta: RuleMeta): string | undefined {
  const name = camelCase(meta.id);
  const imports = registry.match(/^import .*;$/gm) ?? [];
  const list = /(export const rules: readonly Rule\[\] = \[\n(?: {2}\w+,\n)*)\];/.exec(registry);
  if (imports.length === 0 || !list) return undefined;
  const lines = [...imports, `import { ${name} } from './${meta.id}.js';`];
  const sorted = [lines[0], ...lines.slice(1).sort((a, b) => a.split("'")[1].localeCompare(b.split("'")[1]))];
  const withImports = registry.replace(imports.join('\n'), sorted.join('\n'));
  return withImports.replace(list[0], `${list[1]}  ${name},\n];`);
}

export interface Scaffold {
  /** Paths relative to the root. */
  created: string[];
  /** When the registry could not be edited: the lines to add by hand. */
  registerByHand?: string[];
}

/** Writes the new rule's files under `root` (the repository, or a copy of it). */
export function scaffoldRule(root: string, id: string): Scaffold {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(id))
    throw new Error(`"${id}" is not a rule id: lower-case words joined by hyphens, like missing-concurrency`);
  const meta = exampleMeta(id);
  const template = readFileSync(join(root, 'rules-docs/TEMPLATE.md'), 'utf8');
  const [positive, negative] = lintedExamples(template).map((example) => example.text.replaceAll('rule-id', id));
  const files: Record<string, string> = {
    [`src/rules/${id}.ts`]: ruleSource(meta),
    [`rules-docs/${id}.md`]: rulePage(template, meta),
    [`test/fixtures/${id}/example.yml`]: positive,
    [`test/fixtures/${id}/example.ok.yml`]: negative,
  };
  const taken = Object.keys(files).filter((path) => existsSync(join(root, path)));
  if (taken.length > 0) throw new Error(`rule ${id} exists already: ${taken.join(', ')}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  const registryPath = join(root, 'src/rules/registry.ts');
  const registered = register(readFileSync(registryPath, 'utf8'), meta);
  if (registered) writeFileSync(registryPath, registered);
  const registerByHand = registered
    ? undefined
    : [`import { ${camelCase(id)} } from './${id}.js';`, `  ${camelCase(id)},   // in the rules list`];
  return { created: Object.keys(files), ...(registerByHand ? { registerByHand } : {}) };
}

export function main([id, ...rest]: string[]): number {
  if (!id || rest.length > 0) {
    console.error('usage: npm run new-rule <rule-id>');
    return 2;
  }
  let scaffold: Scaffold;
  try {
    scaffold = scaffoldRule(process.cwd(), id);
  } catch (err) {
    console.error(`npm run new-rule: ${(err as Error).message}`);
    return 2;
  }
  const { created, registerByHand } = scaffold;
  console.log(`created ${created.join(', ')}`);
  if (registerByHand) console.log(`src/rules/registry.ts has an unexpected shape: add\n${registerByHand.join('\n')}`);
  else console.log(`registered it in src/rules/registry.ts`);
  console.log('Next: docs/development.md, "Adding a rule".');
  return 0;
}
