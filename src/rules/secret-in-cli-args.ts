import { effectiveCommand } from '../analysis/match.js';
import { SHELL_BUILTINS } from '../analysis/shell/commands.js';
import { describeTaint } from '../analysis/taint/value.js';
import { secretArgFix } from '../fixers/secret-in-cli-args.js';
import { defineRule } from './rule.js';
import { stepName } from './wording.js';

const WHY = 'Any process on the runner can read it from `ps` or /proc, and traces print it.';
const REMEDY = 'Pass it on stdin or in an environment variable instead.';
const TOKEN_ONLY_NOTE = ' (GITHUB_TOKEN expires with the job, so this is a warning.)';

export const secretInCliArgs = defineRule({
  meta: {
    id: 'secret-in-cli-args',
    summary: 'Secret passed as a command-line argument',
    description:
      'A secret value is passed as an argument to a process. ' +
      "Any user on the runner can read a process's arguments (`ps`, `/proc/<pid>/cmdline`), " +
      'and shell tracing (`set -x`) and error messages print them. ' +
      'Pass secrets on stdin (`--password-stdin`) or through environment variables instead.',
    level: 'error',
    securitySeverity: 6.5,
    precision: 'high',
    tags: ['security', 'secrets'],
    fixable: ['safe'],
  },
  check({ workflow, facts, report }) {
    for (const { step, script, flow } of facts.scriptedSteps()) {
      for (const command of script.commands) {
        const { name, args } = effectiveCommand(command);
        // Builtins and the script's own functions run inside the shell: no process, nothing in ps.
        if (name === '' || SHELL_BUILTINS.has(name) || script.functions.has(name)) continue;
        for (const [i, arg] of args.entries()) {
          const taint = flow.wordTaint(arg, command);
          if (!taint) continue;
          // `-Password $X`, `--token "$X"`: name the option the value is given to.
          const option =
            i > 0 && /^--?[A-Za-z][\w-]*$/.test(args[i - 1].text) && !arg.text.startsWith('-')
              ? ` as \`${args[i - 1].text}\``
              : '';
          const what = `Secret passed as a command-line argument to \`${name}\`${option} in step ${stepName(step)}`;
          const note = taint.tokenOnly ? TOKEN_ONLY_NOTE : '';
          report({
            at: arg.range,
            level: taint.tokenOnly ? 'warning' : 'error',
            fix: secretArgFix(workflow, step, command, arg),
            message: `${what}: ${describeTaint(arg.text, taint)}. ${WHY} ${REMEDY}${note}`,
          });
        }
      }
    }
  },
});
