import { effectiveCommand } from '../analysis/match.js';
import type { Command, Word } from '../analysis/shell/script.js';
import { describeTaint, type StepFlow, type Taint } from '../analysis/taint.js';
import { maskBeforeWrite } from '../fixers/unmasked-secret-output.js';
import { defineRule } from './rule.js';
import { stepName } from './wording.js';

const PRINTERS = new Set(['echo', 'printf', 'Write-Host', 'Write-Output']);

/** True when every variable and expression the word expands was registered with ::add-mask:: before `at`. */
function masked(flow: StepFlow, word: Word, at: number): boolean {
  const before = flow.masks.filter((m) => m.at < at);
  const vars = word.vars.filter((v) => v.name !== 'GITHUB_ENV' && v.name !== 'GITHUB_OUTPUT');
  if (vars.length === 0 && word.exprs.length === 0) return false;
  return vars.every((v) => before.some((m) => m.vars.has(v.name))) && word.exprs.every((e) => before.some((m) => m.exprs.has(e.text)));
}

/** A command that prints to the job log: echo/printf whose output is not redirected or piped. */
function printsToLog(command: Command): boolean {
  const { name } = effectiveCommand(command);
  if (!PRINTERS.has(name) || command.inSubstitution || command.pipeTo) return false;
  return command.redirects.every((r) => !r.op.includes('>') || /\/dev\/(stdout|stderr)|^&[12]$/.test(r.target?.text ?? ''));
}

export const unmaskedSecretOutput = defineRule({
  meta: {
    id: 'unmasked-secret-output',
    summary: 'Value derived from a secret is exported or printed without ::add-mask::',
    description:
      "GitHub masks registered secrets in logs, but not values derived from them: a value read from a secret store, a field of `fromJSON(secrets.X)`, a decoded or extracted secret. Written to $GITHUB_ENV or $GITHUB_OUTPUT, or printed, such a value shows in clear text in logs of this and later steps. Register it with `echo \"::add-mask::$VALUE\"` first.",
    level: 'error',
    securitySeverity: 7.5,
    precision: 'high',
    tags: ['security', 'secrets'],
    fixable: 'safe',
  },
  check({ workflow, facts, report }) {
    for (const job of workflow.jobs) {
      for (const step of job.steps) {
        const script = facts.script(step);
        if (!script || script.kind === 'unsupported') continue;
        const flow = facts.flow(step);
        // Only variables that carry the secret are masked: masking "production" would hide it everywhere.
        const secretVars = (word: Word, command: Command) =>
          word.vars.filter((v) => flow.wordTaint({ ...word, vars: [v], exprs: [], substitutions: [] }, command)).map((v) => v.name);
        const flag = (command: Command, what: string, word: Word, taint: Taint, name?: string) =>
          report({
            at: command.range,
            fix: maskBeforeWrite(workflow, step, command, word, [...new Set(secretVars(word, command))], name),
            message:
              `${what} in step ${stepName(step)} without \`::add-mask::\` first: ${describeTaint(word.text, taint)}. ` +
              'GitHub masks registered secrets, not values derived from them, so it appears in clear text in the logs. Run `echo "::add-mask::$VALUE"` before writing it.',
          });
        for (const write of flow.envWrites) {
          if (!write.valueTaint?.derived || !write.value || masked(flow, write.value, write.command.start)) continue;
          const target = write.file === 'env' ? '$GITHUB_ENV' : '$GITHUB_OUTPUT';
          flag(write.command, `Secret-derived value written to ${target}${write.name ? ` as ${write.name}` : ''}`, write.value, write.valueTaint, write.name);
        }
        for (const command of script.commands) {
          if (!printsToLog(command)) continue;
          for (const arg of effectiveCommand(command).args) {
            const taint = flow.wordTaint(arg, command);
            if (!taint?.derived || arg.text.includes('::add-mask::') || masked(flow, arg, command.start)) continue;
            flag(command, 'Secret-derived value printed to the log', arg, taint);
            break;
          }
        }
      }
    }
  },
});
