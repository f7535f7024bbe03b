import {
  byEvent,
  controllersOf,
  describeController,
  everyValue,
  type Controller,
  type ExprScope,
} from '../analysis/event-control.js';
import { isBoundedIndex } from '../analysis/bounded-values.js';
import type { Range } from '../findings.js';
import type { ExprRef } from '../workflow/expressions.js';
import type { SourceFile } from '../workflow/source.js';
import { defineRule } from './rule.js';
import { brief, stepName } from './wording.js';

const WHY_EVENT =
  'Whoever sends that event picks which secret the job reads, any secret of the repository and of the ' +
  'organisation it can see, not only the ones the workflow means to use.';
const WHY_AUTHOR =
  'GitHub cannot tell which secrets the workflow uses, so no reviewer, tool or required-secret check sees them, ' +
  'and a typo reads an empty value.';
const REMEDY =
  'Read each secret by its literal name (`secrets.NAME`), chosen from a fixed list (one step or `env:` entry per ' +
  'secret, or a matrix that maps each leg to its literal secret).';
const ALL_SECRETS =
  "hands every secret the workflow can read (the repository's, the organisation's and the environment's) to";
const ALL_REMEDY = 'Pass only the secrets it needs, each by its literal name.';
const EXPORT =
  "an export of every secret to wherever the action sends them (the job's environment, a file, another store).";
const NAMED_JSON = '`\'{"A": ${{ toJSON(secrets.A) }}, "B": ${{ toJSON(secrets.B) }}}\'`';
const EXPORT_REMEDY =
  `List the secrets it should export by name, e.g. ${NAMED_JSON}, ` +
  "so a new secret is not exported unseen. When exporting every secret is the job's purpose (a move to another " +
  'secret store), keep it behind an `environment:` with required reviewers so each run is approved (the environment ' +
  "adds its own secrets, it does not hide the repository's), and record that with a `wf-lint-disable` comment.";

/** "in step 'Deploy' of job 'release'", "in job 'release'", "in the workflow's env". */
function where({ job, step }: ExprScope): string {
  if (step && job) return `in step ${stepName(step)} of job '${job.id}'`;
  return job ? `in job '${job.id}'` : "in the workflow's `env:`";
}

/** Each chooser once, the event's first. */
function distinct(controllers: Controller[]): Controller[] {
  const unique = new Map(controllers.map((c) => [`${c.source}\0${c.trigger ?? ''}`, c]));
  return [...unique.values()].sort((a, b) => Number(b.trigger !== undefined) - Number(a.trigger !== undefined));
}

/** `toJSON(secrets)` around the `secrets` reference, as written (any case, any spaces). */
function toJsonCall(file: SourceFile, secrets: Range): Range {
  const before = file.text.slice(0, secrets.start.offset);
  const open = /toJSON\s*\(\s*$/i.exec(before);
  const close = /^\s*\)/.exec(file.text.slice(secrets.end.offset));
  if (!open || !close) return secrets;
  return file.range(open.index, secrets.end.offset + close[0].length);
}

const isAllSecrets = (r: ExprRef) => r.context === 'secrets' && r.path.length === 0 && r.via[0] === 'tojson';

export const dynamicSecretAccess = defineRule({
  meta: {
    id: 'dynamic-secret-access',
    summary: 'Secret read by a computed name, or every secret at once',
    description:
      'A secret is read as `secrets[<expression>]` with a computed name, or all secrets are handed on with ' +
      '`toJSON(secrets)`. When an event chooses the name (a `repository_dispatch` payload, a `workflow_dispatch` ' +
      'or `workflow_call` input, a pull request title), whoever sends it can read any secret the workflow can ' +
      'see: an error. When it is chosen at run time from a value the workflow does not show (a configuration ' +
      'variable, a value a script computes), a warning. A name whose every value is a literal written in the ' +
      'workflow (a literal matrix or env value, a choice input, a ternary of literals) is not reported.',
    level: 'error',
    securitySeverity: 8.0,
    precision: 'high',
    tags: ['security', 'secrets'],
    fixable: [],
  },
  check({ workflow, facts, report }) {
    for (const { value, scope } of everyValue(workflow)) {
      for (const expr of value.expressions) {
        for (const ref of expr.refs) {
          if (isAllSecrets(ref)) {
            const action = scope.step?.uses?.text.trim().split('@')[0];
            report({
              at: toJsonCall(workflow.file, ref.range),
              level: 'warning',
              message: action
                ? `\`toJSON(secrets)\` exports every secret the workflow can read to action \`${brief(action, 40)}\``
                : '`toJSON(secrets)` hands every secret the workflow can read to one value',
              detail: action
                ? `\`toJSON(secrets)\` ${where(scope)} ${ALL_SECRETS} action \`${action}\`: ${EXPORT} ${EXPORT_REMEDY}`
                : `\`toJSON(secrets)\` ${where(scope)} ${ALL_SECRETS} what reads this value. ${ALL_REMEDY}`,
            });
            continue;
          }
          if (ref.context !== 'secrets' || ref.path[0] !== null) continue;
          for (const index of ref.indexes ?? []) {
            // Every name it can take is written in the workflow: the author chose a visible set.
            if (isBoundedIndex(index, scope, facts)) continue;
            const controllers = distinct(
              index.refs.length > 0
                ? index.refs.flatMap((r) => controllersOf(r, scope))
                : [{ source: index.text, who: 'the workflow author (a constant expression)' }],
            );
            const event = byEvent(controllers);
            const chooser = (event ? [event] : controllers).map(describeController).join('; ');
            report({
              at: index.range,
              level: event ? 'error' : 'warning',
              message:
                `\`secrets[${brief(index.text, 48)}]\` reads a secret ` +
                (event ? `the \`${event.trigger}\` event chooses` : 'chosen at run time, not by name'),
              detail:
                `Secret read by a computed name, \`secrets[${index.text}]\`, ${where(scope)}: the name comes from ` +
                `${chooser}. ${event ? WHY_EVENT : WHY_AUTHOR} ${REMEDY}`,
            });
          }
        }
      }
    }
  },
});
