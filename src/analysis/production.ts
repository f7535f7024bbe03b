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
  /** For messages: "its name `Deploy to production`", "the input `app-name: web-prod`". */
  what: string;
  range: Range;
}

/** Whether a name or value says production: one of its words (not after `pre`/`non`), or `live` whole. */
export function saysProduction(text: string): boolean {
  if (WHOLE_PRODUCTION_VALUES.has(text.trim().toLowerCase())) return true;
  const words = wordsOf(text);
  return words.some((w, i) => PRODUCTION_WORDS.has(w) && !NEGATING_WORDS.has(words[i - 1]));
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
  const scalar = (what: string, value: ScalarValue | undefined) =>
    value && saysProduction(value.text) ? [{ what: `${what} \`${short(value.text)}\``, range: value.range }] : [];
  const entry = (what: string) => (e: Entry) =>
    e.value && saysProduction(e.value.text)
      ? [{ what: `${what} \`${e.key}: ${short(e.value.text)}\``, range: e.value.range }]
      : [];
  const target = (e: Entry) => TARGET_VARIABLE.test(e.key) && !FRAMEWORK_MODES.has(e.key.toLowerCase());
  const steps = deployment.steps;
  const command = steps.flatMap((s) => facts.script(s)?.commands ?? []).find((c) => same(c.range, deployment.range));
  const candidates: ProductionEvidence[] = [
    ...(saysProduction(job.id) ? [{ what: `its id \`${job.id}\``, range: job.keyRange }] : []),
    ...scalar('its name', job.name),
    ...steps.flatMap((s) => scalar('the deploy step', s.name)),
    ...steps.flatMap((s) => (s.uses ? s.with.flatMap(entry('the input')) : [])),
    ...(command?.args ?? []).flatMap((a) =>
      saysProduction(a.text) ? [{ what: `the argument \`${short(a.text)}\``, range: a.range }] : [],
    ),
    ...[...steps.flatMap((s) => s.env), ...job.env, ...workflow.env].filter(target).flatMap(entry('the variable')),
    ...scalar('the workflow name', workflow.name),
  ];
  return candidates[0];
}

function same(a: Range, b: Range): boolean {
  return a.start.offset === b.start.offset && a.end.offset === b.end.offset;
}

function short(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 50 ? `${oneLine.slice(0, 47)}...` : oneLine;
}
