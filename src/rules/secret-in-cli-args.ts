import { effectiveCommand } from '../analysis/match.js';
import { identifierLike } from '../analysis/secret-values.js';
import { SHELL_BUILTINS } from '../analysis/shell/commands.js';
import { alternativeOf, optionOf, receiverOf } from '../analysis/shell/tool-options.js';
import { describeTaint } from '../analysis/taint/value.js';
import { secretArgFix } from '../fixers/secret-in-cli-args.js';
import { defineRule } from './rule.js';
import { brief, chainHead, stepName } from './wording.js';

const PASSED_TO = 'Secret passed as a command-line argument to';
const WHO_READS = `Any process on the runner can read it from ${'`ps`'} or /proc, and traces print it.`;
const GENERIC_REMEDY = 'Pass it on stdin or in an environment variable instead.';
const NOT_FIXED = '`--fix` leaves it:';
const TOKEN_NOTE = ' (GITHUB_TOKEN expires with the job, so this is a warning.)';
const KIND = '(secret on the command line)';

/**
 * Options whose value may hold a password next to a user name (`curl -u user:pass`, `--login TOKEN`):
 * their names say "user", but not what the value is.
 */
const CREDENTIAL_PAIR_OPTIONS = /^--(user|proxy-user|login|auth|creds|credentials|[\w-]*-creds)$/;

/** `--issuer "$X"`, `--device_pool_arn "$X"`, `--region "$X"`: an option named for an identifier. */
function identifierOption(option: string | undefined, identifiers: RegExp): boolean {
  if (!option?.startsWith('--') || CREDENTIAL_PAIR_OPTIONS.test(option)) return false;
  return identifierLike(option.slice(2).replace(/-/g, '_'), identifiers);
}

export const secretInCliArgs = defineRule({
  meta: {
    id: 'secret-in-cli-args',
    summary: 'Secret passed as a command-line argument',
    description:
      "A secret value is passed as an argument to a process. Any user on the runner can read a process's arguments " +
      '(`ps`, `/proc/<pid>/cmdline`), and shell tracing (`set -x`) and error messages print them. Pass secrets on ' +
      'stdin (`--password-stdin`) or through environment variables instead.',
    level: 'error',
    securitySeverity: 6.5,
    precision: 'high',
    tags: ['security', 'secrets'],
    fixable: ['safe'],
  },
  check({ workflow, facts, settings, report }) {
    for (const { job, step, script, flow } of facts.scriptedSteps()) {
      for (const command of script.commands) {
        const { name, args } = effectiveCommand(command);
        // Builtins and the script's own functions run inside the shell: no process, nothing in ps.
        if (name === '' || SHELL_BUILTINS.has(name) || script.functions.has(name)) continue;
        const tainted = args.flatMap((arg) => {
          const taint = flow.wordTaint(arg, command);
          return taint ? [{ arg, taint }] : [];
        });
        for (const { arg, taint } of tainted) {
          // Name the program that receives the value, and the option it is given to.
          const receiver = receiverOf(command, arg);
          const index = receiver.args.indexOf(arg);
          const option = index >= 0 ? optionOf(receiver.tool, receiver.args, index) : undefined;
          if (identifierOption(option, settings.identifierSecrets)) continue;
          const via = receiver.via ? ` (run by \`${receiver.via}\`)` : '';
          const as = option ? ` as \`${option}\`` : '';
          const remedy = alternativeOf(receiver.tool, option);
          const fixed = secretArgFix(
            { workflow, job, step, script },
            command,
            arg,
            tainted.map((t) => t.arg),
          );
          report({
            at: arg.range,
            level: taint.tokenOnly ? 'warning' : 'error',
            ...(fixed && 'fix' in fixed ? { fix: fixed.fix } : {}),
            message: `${chainHead(taint)} reaches \`${brief(receiver.name)}\`${as} ${KIND}`,
            detail:
              `${PASSED_TO} \`${receiver.name}\`${via}${as} in step ${stepName(step)}: ` +
              `${describeTaint(arg.text, taint)}. ${WHO_READS} ` +
              (remedy ? `Instead, ${remedy}.` : GENERIC_REMEDY) +
              (taint.tokenOnly ? TOKEN_NOTE : '') +
              (fixed && 'unfixed' in fixed ? ` ${NOT_FIXED} ${fixed.unfixed}.` : ''),
          });
        }
      }
    }
  },
});
