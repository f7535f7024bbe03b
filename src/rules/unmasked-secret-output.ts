import { effectiveCommand } from '../analysis/match.js';
import { LOG_STREAM, PRINTERS } from '../analysis/shell/commands.js';
import type { Command, Word } from '../analysis/shell/script.js';
import { maskedAt as masked } from '../analysis/taint/step-flow.js';
import { describeTaint, type Taint } from '../analysis/taint/value.js';
import { maskBeforeWrite } from '../fixers/unmasked-secret-output.js';
import { defineRule } from './rule.js';
import { stepName } from './wording.js';

const MASK_COMMAND = '`echo "::add-mask::$VALUE"`';
const WHY = 'GitHub masks registered secrets, not values derived from them, so it appears in clear text in the logs.';
const WRITE_REMEDY = `Run ${MASK_COMMAND} before writing it.`;
const PRINT_REMEDY = `Capture the output in a variable, run ${MASK_COMMAND}, or send it to a file or to /dev/null.`;

/** A command whose stdout reaches the job log: not captured, piped or redirected to a file. */
function printsToLog(command: Command): boolean {
  if (command.inSubstitution || command.pipeTo) return false;
  return command.redirects.every((r) => !r.op.includes('>') || LOG_STREAM.test(r.target?.text ?? ''));
}

export const unmaskedSecretOutput = defineRule({
  meta: {
    id: 'unmasked-secret-output',
    summary: 'Value derived from a secret is exported or printed without ::add-mask::',
    description:
      'GitHub masks registered secrets in logs, but not values derived from them: ' +
      'a value read from a secret store, a field of `fromJSON(secrets.X)`, a decoded or extracted secret. ' +
      'Written to $GITHUB_ENV or $GITHUB_OUTPUT, or printed, ' +
      'such a value shows in clear text in logs of this and later steps. ' +
      `Register it with ${MASK_COMMAND} first.`,
    level: 'error',
    securitySeverity: 7.5,
    precision: 'high',
    tags: ['security', 'secrets'],
    fixable: ['safe'],
  },
  check({ workflow, facts, report }) {
    for (const { step, script, flow } of facts.scriptedSteps()) {
      // Only variables that carry the secret are masked: masking "production" would hide it everywhere.
      const secretVars = (word: Word, command: Command) =>
        word.vars
          .filter((v) => flow.wordTaint({ ...word, vars: [v], exprs: [], substitutions: [] }, command))
          .map((v) => v.name);
      const flag = (command: Command, what: string, word: Word, taint: Taint, name?: string) => {
        const unmasked = `${what} in step ${stepName(step)} without \`::add-mask::\` first`;
        const head = `${what} without \`::add-mask::\``;
        report({
          at: command.range,
          fix: maskBeforeWrite(
            workflow,
            step,
            script.kind,
            command,
            word,
            [...new Set(secretVars(word, command))],
            name,
          ),
          message: head,
          detail: `${unmasked}: ${describeTaint(word.text, taint)}. ${WHY} ${WRITE_REMEDY}`,
        });
      };
      // One finding per writing command, even when a heredoc writes several names.
      const flagged = new Set<Command>();
      // A write of a derived value, not masked before it, whose command has no finding yet.
      const unmaskedWrite = <W extends { command: Command; value?: Word; valueTaint?: Taint }>(
        write: W,
      ): write is W & { value: Word; valueTaint: Taint } =>
        !flagged.has(write.command) &&
        !!write.valueTaint?.derived &&
        !!write.value &&
        !masked(flow, write.value, write.command);
      for (const write of flow.envWrites) {
        if (!unmaskedWrite(write)) continue;
        flagged.add(write.command);
        const target = write.file === 'env' ? '$GITHUB_ENV' : '$GITHUB_OUTPUT';
        flag(
          write.command,
          `Secret-derived value written to ${target}${write.name ? ` as ${write.name}` : ''}`,
          write.value,
          write.valueTaint,
          write.name,
        );
      }
      for (const write of flow.summaryWrites) {
        if (!unmaskedWrite(write)) continue;
        flagged.add(write.command);
        flag(
          write.command,
          'Secret-derived value written to $GITHUB_STEP_SUMMARY (the run summary page)',
          write.value,
          write.valueTaint,
        );
      }
      for (const command of script.commands) {
        if (flagged.has(command) || !printsToLog(command)) continue;
        const { name, args } = effectiveCommand(command);
        if (PRINTERS.has(name)) {
          // `echo "::add-mask::$X"`, `printf '::add-mask::%s\n' "$X"`: the masking command itself.
          if (args.some((a) => a.text.includes('::add-mask::'))) continue;
          for (const arg of args) {
            const taint = flow.wordTaint(arg, command);
            if (!taint?.derived || masked(flow, arg, command)) continue;
            flag(command, 'Secret-derived value printed to the log', arg, taint);
            break;
          }
          continue;
        }
        // `aws secretsmanager get-secret-value …`, `base64 -d <<< "$KEY"`, `cat secrets.json`
        // with nothing capturing stdout.
        const taint = flow.stdoutTaint(command);
        if (!taint?.derived || flow.masks.some((m) => m.at < command.start)) continue;
        const printed = `Secret-derived value printed to the log by \`${name}\``;
        const what = `${printed} in step ${stepName(step)}`;
        report({
          at: command.range,
          message: printed,
          detail: `${what}: ${taint.chain.join(' <- ')}. ${WHY} ${PRINT_REMEDY}`,
        });
      }
    }
  },
});
