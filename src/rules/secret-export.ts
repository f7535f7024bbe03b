import {
  byEvent,
  describeTriggers,
  envControllers,
  wordControllers,
  wordSources,
  controllersOf,
  type Controller,
  type ExprScope,
} from '../analysis/event-control.js';
import { unquote } from '../analysis/paths.js';
import { secretWrites, type SecretWrite } from '../analysis/secret-writes.js';
import type { Script } from '../analysis/shell/script.js';
import { merge, type Taint } from '../analysis/taint/value.js';
import type { StepFlow } from '../analysis/taint/step-flow.js';
import { defineRule } from './rule.js';
import { stepName } from './wording.js';

const WHY_FIXED = 'Each copy is one more place the secret can leak from, and one more to rotate.';
const REMEDY_EVENT =
  'Export only a fixed list of secrets to fixed targets (literal names, or an allow-list checked before the ' +
  'write), or share the secret as an organisation secret with selected repositories instead of copying it.';
const REMEDY_FIXED =
  'Check that the target should hold it; an organisation secret shared with selected repositories needs no copy.';
const BODY_NOTE =
  ' `--body` also puts the value on the command line, where any process on the runner can read it: leave ' +
  '`--body` out and gh reads the value from stdin (`printf %s "$VALUE" | gh secret set NAME …`).';

/** The secret a write sends and who chose it: `secrets[github.event.client_payload.secret_name]`. */
function writtenSecret(write: SecretWrite, script: Script, scope: ExprScope, taint: Taint) {
  const words = [...write.values, ...write.stdinFrom.flatMap((c) => c.args)];
  const sources = words.flatMap((w) => wordSources(w, write.command, script, scope));
  const dynamic = sources.find((r) => r.context === 'secrets' && r.path[0] === null && r.indexes?.length);
  if (!dynamic) return { label: `\`${taint.chain.at(-1)}\``, controllers: [] as Controller[] };
  const index = dynamic.indexes![0];
  return {
    label: `\`secrets[${index.text}]\``,
    controllers: index.refs.flatMap((r) => controllersOf(r, scope)),
  };
}

/** What the write sends: its value words, what is piped in, else (a REST body, encrypted first) the step's secrets. */
function valueTaint(write: SecretWrite, flow: StepFlow, script: Script): Taint | undefined {
  const direct = merge([
    ...write.values.map((w) => flow.wordTaint(w, write.command)),
    ...write.stdinFrom.map((c) => flow.stdoutTaint(c)),
  ]);
  if (direct || write.tool === 'gh secret set') return direct;
  // The REST API takes the value encrypted with the target's public key: a script encrypts it first.
  return merge(
    script.commands
      .filter((c) => c.start < write.command.start)
      .flatMap((c) => c.args.map((a) => flow.wordTaint(a, c)))
      .filter((t) => t && !t.tokenOnly),
  );
}

export const secretExport = defineRule({
  meta: {
    id: 'secret-export',
    summary: 'Secret copied into another repository, organisation or environment',
    description:
      'A secret value is written into the secrets of another repository, an organisation or an environment: ' +
      "`gh secret set` with `--repo`, `--org` or `--env` (or `GH_REPO`), or a `PUT` to the REST API's secret " +
      'endpoints through `gh api` or curl. When the event that runs the workflow chooses the secret or the ' +
      'target (a `repository_dispatch` payload, a `workflow_dispatch` input), whoever sends it can copy any ' +
      'secret anywhere their token can write: an error. A fixed sync of literal secrets to literal targets is ' +
      'a warning, worth a review.',
    level: 'error',
    securitySeverity: 9.0,
    precision: 'high',
    tags: ['security', 'secrets'],
    fixable: [],
  },
  check({ workflow, facts, report }) {
    for (const { job, step, script, flow } of facts.scriptedSteps()) {
      const scope: ExprScope = { workflow, job, step };
      const envNames = new Set([...workflow.env, ...job.env, ...step.env].map((e) => e.key));
      for (const write of secretWrites(script.commands, envNames)) {
        const taint = valueTaint(write, flow, script);
        // GITHUB_TOKEN expires with the job: copying it exports nothing that lasts.
        if (!taint || taint.tokenOnly) continue;
        const secret = writtenSecret(write, script, scope, taint);
        const targetControllers = [
          ...[...write.targets, ...(write.name ? [write.name] : [])].flatMap((w) =>
            wordControllers(w, write.command, script, scope),
          ),
          ...(write.targetEnv ? envControllers(scope, write.targetEnv) : []),
        ];
        const targetEvent = byEvent(targetControllers);
        const secretEvent = byEvent(secret.controllers);
        const target =
          `${write.scope} ` +
          (write.targetEnv
            ? `\`$${write.targetEnv}\``
            : write.targets.map((w) => `\`${unquote(w.text)}\``).join(' of '));
        const where = `\`${write.tool}\` in step ${stepName(step)}`;
        const bodyNote = write.body && flow.wordTaint(write.body, write.command) ? BODY_NOTE : '';
        const event = secretEvent ?? targetEvent;
        if (event) {
          const chosen = [
            secretEvent && `the secret through \`${secretEvent.source}\``,
            targetEvent && `the target through \`${targetEvent.source}\``,
          ].filter(Boolean);
          report({
            at: write.at,
            message:
              `\`${write.tool}\` writes ${secretEvent ? 'a secret' : secret.label} into ` +
              `${targetEvent ? `a ${write.scope}` : target} the \`${event.trigger}\` event chooses (secret export)`,
            detail:
              `${where} writes ${secret.label} into ${target}, and the event chooses ${chosen.join(' and ')}, ` +
              `which the \`${event.trigger}\` event sets: ${event.who}. They can copy ` +
              `${secretEvent ? 'any secret this workflow can read' : 'it'} into ` +
              `${targetEvent ? `any ${write.scope} their token can write to` : target}. ${REMEDY_EVENT}${bodyNote}`,
          });
          continue;
        }
        report({
          at: write.at,
          level: 'warning',
          message: `\`${write.tool}\` copies ${secret.label} into another ${write.scope} (fixed secret sync)`,
          detail:
            `${where} copies ${secret.label} into ${target}: a fixed sync, run on ${describeTriggers(workflow)}. ` +
            `${WHY_FIXED} ${REMEDY_FIXED}${bodyNote}`,
        });
      }
    }
  },
});
