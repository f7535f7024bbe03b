import type { Range } from '../findings.js';
import type { Entry, Job, ScalarValue, Workflow } from '../workflow/model.js';
import type { Deployment } from './deploy.js';
import { wordsOf } from './deploy-recognisers.js';
import type { Facts } from './facts.js';

/**
 * Words that name a production target. `live` counts only as a whole value (`channelId: live`, a
 * Firebase or slot name): as a word it is too often something else (`live-chat`, `livereload`).
 */
export const PRODUCTION_WORDS = new Set(['prod', 'production', 'prd']);
const WHOLE_PRODUCTION_VALUES = new Set(['live']);
/** A word before `prod` that says the opposite: `pre-prod`, `non-prod`, `not prod`. */
const NEGATING_WORDS = new Set(['pre', 'non', 'not']);

/**
 * Variables whose value names where a deploy goes (`DEPLOY_ENV`, `STAGE`, `TARGET_ENVIRONMENT`).
 * Framework modes (`NODE_ENV`, `RAILS_ENV`, `ASPNETCORE_ENVIRONMENT`) say how something is built or
 * run, and are set to `production` for every build: they are not evidence of a target.
 */
const TARGET_VARIABLE = /^(env|environment|stage|target|tier|[a-z0-9_]*_(env|environment|stage|target|tier))$/i;
const FRAMEWORK_MODES = new Set([
  'node_env',
  'rails_env',
  'rack_env',
  'mix_env',
  'app_env',
  'flask_env',
  'django_env',
  'aspnetcore_environment',
  'dotnet_environment',
  'babel_env',
  'build_env',
  'build_target',
]);

/** What says a deploy goes to production, and where. */
export interface ProductionEvidence {
  /**
   * For messages: "its name `Deploy to production`", "the input `app-name: web-prod`"; a long value is
   * shortened around the production word, never cutting it.
   */
  what: string;
  range: Range;
  /** The name around the production word (`app-prod.jar`), and its range in the file. */
  word: string;
  wordRange: Range;
}

/** Whether a name or value says production: one of its words (not after `pre`/`non`), or `live` whole. */
export function saysProduction(text: string): boolean {
  if (WHOLE_PRODUCTION_VALUES.has(text.trim().toLowerCase())) return true;
  const words = wordsOf(text);
  return words.some((w, i) => PRODUCTION_WORDS.has(w) && !NEGATING_WORDS.has(words[i - 1]));
}

/** `prod`, `production`, `prd` as a word of a name: after a separator or a lower-case letter (`appProd`). */
const PRODUCTION_WORD =
  /(?<![A-Za-z0-9])(?:prod|production|prd)(?![a-z0-9])|(?<=[a-z0-9])(?:Prod|Production|Prd)(?![a-z0-9])/gi;
/** Characters of one name around a word: `app-prod.jar` in `/home/ubuntu/app-prod.jar`. */
const NAME_CHAR = /[\w.-]/;

/** Where in a value the word that says production is, widened to the name it is part of. */
function productionSpan(text: string): [number, number] | undefined {
  if (WHOLE_PRODUCTION_VALUES.has(text.trim().toLowerCase())) {
    const from = text.length - text.trimStart().length;
    return [from, from + text.trim().length];
  }
  for (const m of text.matchAll(PRODUCTION_WORD)) {
    if (!PRODUCTION_WORDS.has(m[0].toLowerCase()) || NEGATING_WORDS.has(wordsOf(text.slice(0, m.index)).at(-1) ?? ''))
      continue;
    let [from, to] = [m.index, m.index + m[0].length];
    while (from > 0 && NAME_CHAR.test(text[from - 1])) from--;
    while (to < text.length && NAME_CHAR.test(text[to])) to++;
    return [from, to];
  }
  return undefined;
}

/**
 * The first sign that a deploying job targets production: its id or name, the name of a deploy step,
 * an input of a deploy action, an argument of the deploy command, a target variable (`DEPLOY_ENV`)
 * of the job, the workflow or a deploy step, or the workflow's name.
 */
export function productionEvidence(
  workflow: Workflow,
  job: Job,
  deployment: Deployment,
  facts: Facts,
): ProductionEvidence | undefined {
  const file = workflow.file;
  /** Evidence in `text`, whose [from, to) is `rangeOf(from, to)` in the file; `label` names it, `key` precedes it. */
  const found = (label: string, text: string, rangeOf: (from: number, to: number) => Range, range: Range, key = '') => {
    const span = saysProduction(text) ? productionSpan(text) : undefined;
    if (!span) return [];
    const word = text.slice(...span);
    return [{ what: `${label} \`${key}${around(text, span)}\``, range, word, wordRange: rangeOf(...span) }];
  };
  const scalar = (what: string, value: ScalarValue | undefined) =>
    value ? found(what, value.text, (f, t) => value.rangeOf(f, t), value.range) : [];
  const entry = (what: string) => (e: Entry) =>
    e.value ? found(what, e.value.text, (f, t) => e.value!.rangeOf(f, t), e.value.range, `${e.key}: `) : [];
  const target = (e: Entry) => TARGET_VARIABLE.test(e.key) && !FRAMEWORK_MODES.has(e.key.toLowerCase());
  const steps = deployment.steps;
  const scripted = steps.flatMap((s) => {
    const script = facts.script(s);
    return (script?.commands ?? []).map((c) => ({ c, script: script! }));
  });
  const command = scripted.find(({ c }) => same(c.range, deployment.range));
  const keyAt = (f: number, t: number) => file.range(job.keyRange.start.offset + f, job.keyRange.start.offset + t);
  const candidates: ProductionEvidence[] = [
    ...found('its id', job.id, keyAt, job.keyRange),
    ...scalar('its name', job.name),
    ...steps.flatMap((s) => scalar('the deploy step', s.name)),
    ...steps.flatMap((s) => (s.uses ? s.with.flatMap(entry('the input')) : [])),
    ...(command?.c.args ?? []).flatMap((a) =>
      found('the argument', a.text, (f, t) => command!.script.value.rangeOf(a.start + f, a.start + t), a.range),
    ),
    ...[...steps.flatMap((s) => s.env), ...job.env, ...workflow.env].filter(target).flatMap(entry('the variable')),
    ...scalar('the workflow name', workflow.name),
  ];
  return candidates[0];
}

function same(a: Range, b: Range): boolean {
  return a.start.offset === b.start.offset && a.end.offset === b.end.offset;
}

/** A value on one line, shortened to about 50 characters around `span` (kept whole). */
function around(text: string, [from, to]: [number, number]): string {
  const flat = text.replace(/\s/g, ' ');
  if (flat.trim().length <= 50) return flat.replace(/ +/g, ' ').trim();
  const margin = Math.max(0, Math.floor((50 - (to - from)) / 2));
  const start = Math.max(0, Math.min(from - margin, flat.length - 50));
  const end = Math.max(to, start + 50);
  const inner = flat.slice(start, end).replace(/ +/g, ' ').trim();
  return `${start > 0 ? '...' : ''}${inner}${end < flat.length ? '...' : ''}`;
}
