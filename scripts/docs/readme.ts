/**
 * The README's generated sections: the rule table, from the rules' metadata, and the option list,
 * from `wf-lint --help`.
 */
import type { RuleMeta } from '../../src/rules/rule.js';

/** The rules' table: one row per rule, linking to its page. */
export function rulesTable(metas: RuleMeta[]): string {
  const rows = metas.map((m) => {
    const link = `[\`${m.id}\`](rules-docs/${m.id}.md)`;
    return `| ${link} | ${m.level} | ${m.fixable.join(', ') || '–'} | ${m.summary.replaceAll('|', '\\|')} |`;
  });
  return ['| rule | level | fix | what it finds |', '|---|---|---|---|', ...rows].map((line) => `${line}\n`).join('');
}

/** `wf-lint --help`, as a code block. */
export function helpBlock(help: string): string {
  return `\`\`\`text\n${help}\`\`\`\n`;
}

const begin = (name: string) => `<!-- BEGIN GENERATED ${name}: npm run docs writes this section -->\n`;
const end = (name: string) => `<!-- END GENERATED ${name} -->`;

/** The text with each named section, between its BEGIN and END comments, replaced. */
export function withGeneratedSections(text: string, sections: Record<string, string>): string {
  let result = text;
  for (const [name, content] of Object.entries(sections)) {
    const start = result.indexOf(begin(name));
    const stop = result.indexOf(end(name), start);
    if (start < 0 || stop < 0)
      throw new Error(`no generated section "${name}": it goes between "${begin(name).trim()}" and "${end(name)}"`);
    result = result.slice(0, start + begin(name).length) + content + result.slice(stop);
  }
  return result;
}
