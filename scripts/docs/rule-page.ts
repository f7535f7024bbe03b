/**
 * What a rule page (rules-docs/<id>.md) must be, as rules-docs/TEMPLATE.md describes it: the header
 * line made from the rule's metadata, the H2 headings in the template's order, and the YAML examples
 * the docs test lints.
 */
import type { FixKind } from '../../src/findings.js';
import type { RuleMeta } from '../../src/rules/rule.js';
import { fencedBlocks, headings } from './markdown.js';

/** The line of the header (line 3: the title, a blank line, the header). */
export const HEADER_LINE = 3;

/** The info string of a YAML example the docs test lints. */
export const LINTED_EXAMPLE = 'yaml lint';

const FIX_KIND: Record<FixKind, string> = { safe: 'safe (`--fix`)', unsafe: 'unsafe (`--fix --unsafe-fixes`)' };

/** The header of a rule's page: its metadata, as readers need it. `npm run docs` writes it; never edit it. */
export function rulePageHeader(meta: RuleMeta): string {
  const fixable = meta.fixable.length > 0 ? meta.fixable.map((kind) => FIX_KIND[kind]).join(' or ') : 'no';
  const parts = [
    `**Level:** ${meta.level}`,
    `**Fixable:** ${fixable}`,
    `**Precision:** ${meta.precision.replace('-', ' ')}`,
    `**Security severity:** ${meta.securitySeverity.toFixed(1)}`,
    ...(meta.tags.length > 0 ? [`**Tags:** ${meta.tags.join(', ')}`] : []),
  ];
  return parts.join(' · ');
}

/** The page with its title and header line made from the rule's metadata, the rest unchanged. */
export function withHeader(page: string, meta: RuleMeta): string {
  const lines = page.split('\n');
  const header = [`# ${meta.id}`, '', rulePageHeader(meta), ''];
  // A page written before the header was generated may have it over several lines: up to the first blank line.
  const end = lines.findIndex((line, i) => i >= HEADER_LINE - 1 && line.trim() === '');
  return [...header, ...lines.slice(end < 0 ? lines.length : end + 1)].join('\n');
}

export interface TemplateSection {
  heading: string;
  /** Marked `<!-- optional -->` on the line after the heading in TEMPLATE.md. */
  optional: boolean;
}

/** The H2 sections of TEMPLATE.md, in their order. */
export function templateSections(template: string): TemplateSection[] {
  const lines = template.split('\n');
  return headings(template)
    .filter((h) => h.level === 2)
    .map((h) => ({ heading: h.text, optional: lines[h.line]?.trim() === '<!-- optional -->' }));
}

/** How a page's H2 headings depart from the template: unknown, out of order, or missing. */
export function sectionProblems(page: string, sections: TemplateSection[]): string[] {
  const order = sections.map((s) => s.heading);
  const problems: string[] = [];
  let previous = -1;
  const present = new Set<string>();
  for (const { text, line } of headings(page).filter((h) => h.level === 2)) {
    const index = order.indexOf(text);
    if (index < 0) {
      const sections = `a section of rules-docs/TEMPLATE.md (${order.join(', ')})`;
      problems.push(`line ${line}: "## ${text}" is not ${sections}; make it an H3 under one of them`);
    } else if (index <= previous)
      problems.push(`line ${line}: "## ${text}" is out of order: TEMPLATE.md puts it before "## ${order[previous]}"`);
    else previous = index;
    present.add(text);
  }
  for (const { heading, optional } of sections)
    if (!optional && !present.has(heading)) problems.push(`"## ${heading}" is missing`);
  return problems;
}

export interface LintedExample {
  /** The page line of the example's first line. */
  line: number;
  text: string;
}

/** The page's ```yaml lint blocks. */
export function lintedExamples(page: string): LintedExample[] {
  return fencedBlocks(page)
    .filter((b) => b.info === LINTED_EXAMPLE)
    .map(({ line, text }) => ({ line, text }));
}
