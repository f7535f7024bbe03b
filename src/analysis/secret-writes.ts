import type { Range } from '../findings.js';
import { effectiveCommand, matchSubcommands } from './match.js';
import { unquote } from './paths.js';
import type { Command, Word } from './shell/script.js';

/** Where a secret is written: another repository's, an organisation's or an environment's secrets. */
export type SecretScope = 'repository' | 'organisation' | 'environment';

/**
 * How a secret is written to a repository, an organisation or an environment: `gh secret set` and its
 * options, and the REST API's secret endpoints (`PUT`, through `gh api` or curl). The paths are those of
 * GitHub's REST API for Actions secrets (docs.github.com/rest/actions/secrets).
 */
export const SECRET_WRITES = {
  ghSecretSet: {
    command: 'gh',
    subcommands: ['secret', 'set'],
    targets: { '--repo': 'repository', '-R': 'repository', '--org': 'organisation', '-o': 'organisation' },
    environment: ['--env', '-e'],
    /** The value as an argument: also a command-line leak (gh reads stdin when it is left out). */
    body: ['--body', '-b'],
    /** A dotenv file of names and values. */
    envFile: ['--env-file', '-f'],
    /** `GH_REPO` names the repository gh works on when `--repo` does not. */
    repoEnv: 'GH_REPO',
  },
  ghApi: {
    command: 'gh',
    subcommands: ['api'],
    method: ['-X', '--method'],
    fields: ['-f', '--raw-field', '-F', '--field'],
  },
  curl: {
    command: 'curl',
    method: ['-X', '--request'],
    fields: ['-d', '--data', '--data-raw', '--data-binary', '--json'],
  },
  /** The REST paths that create or update a secret (with `PUT`), after an optional `https://api.github.com`. */
  paths: [
    { path: /\/repos\/.+\/environments\/[^/]+\/secrets\/[^/]+$/, scope: 'environment' },
    { path: /\/repositories\/[^/]+\/environments\/[^/]+\/secrets\/[^/]+$/, scope: 'environment' },
    { path: /\/repos\/.+\/actions\/secrets\/[^/]+$/, scope: 'repository' },
    { path: /\/orgs\/[^/]+\/actions\/secrets\/[^/]+$/, scope: 'organisation' },
  ] as { path: RegExp; scope: SecretScope }[],
} as const;

/** One write of a secret to another repository, organisation or environment, as a script spells it. */
export interface SecretWrite {
  command: Command;
  /** `gh secret set`, `gh api`, `curl`. */
  tool: string;
  /** Where the finding points: the `gh secret set` words, or the REST path. */
  at: Range;
  /** What receives the secret, most specific first, with the words that name it. */
  scope: SecretScope;
  targets: Word[];
  /** `GH_REPO` names the repository instead of an option. */
  targetEnv?: string;
  /** The written secret's name (`gh secret set NAME`), when it is an argument. */
  name?: Word;
  /** The words that carry the value: `--body`, REST body fields, a here-string; none when it comes from a pipe. */
  values: Word[];
  /** `--body`: the value is an argument of the command. */
  body?: Word;
  /** The commands that print the value into its stdin: a pipe, or a process substitution (`< <(printf …)`). */
  stdinFrom: Command[];
}

/** `--repo X`, `--repo=X`, `-R X`: the value of one of the options, with the option. */
function optionValues(args: Word[], options: readonly string[], from = 0): { option: string; word: Word }[] {
  const found: { option: string; word: Word }[] = [];
  for (let i = from; i < args.length; i++) {
    const text = unquote(args[i].text);
    const joined = /^(--?[\w-]+)=/.exec(text);
    if (joined && options.includes(joined[1])) found.push({ option: joined[1], word: args[i] });
    else if (options.includes(text) && args[i + 1]) found.push({ option: text, word: args[++i] });
  }
  return found;
}

/** The words a command reads on stdin: a here-string or here-document. */
function stdinWords(command: Command): Word[] {
  return command.redirects.flatMap((r) => (r.op.startsWith('<<') && r.target ? [r.target] : []));
}

/** The commands whose output a command reads on stdin: the one piping into it, and `< <(printf …)`. */
function stdinCommands(command: Command): Command[] {
  const substituted = command.redirects.flatMap((r) => (r.op === '<' ? (r.target?.fileSubstitutions ?? []) : []));
  return [...(command.pipeFrom ? [command.pipeFrom] : []), ...substituted];
}

/** `gh secret set NAME --repo R --body V`, with a target option or `GH_REPO` in the step's env. */
function ghSecretSet(command: Command, envNames: Set<string>): SecretWrite | undefined {
  const spec = SECRET_WRITES.ghSecretSet;
  const { name, args } = effectiveCommand(command);
  if (name !== spec.command) return undefined;
  const end = matchSubcommands(args, [...spec.subcommands]);
  if (end < 0) return undefined;
  const targets = optionValues(args, Object.keys(spec.targets), end);
  const environment = optionValues(args, spec.environment, end);
  const targetEnv = targets.length === 0 && envNames.has(spec.repoEnv) ? spec.repoEnv : undefined;
  if (targets.length === 0 && environment.length === 0 && !targetEnv) return undefined;
  const scope: SecretScope =
    environment.length > 0
      ? 'environment'
      : (spec.targets[targets[0]?.option as keyof typeof spec.targets] ?? 'repository');
  const body = optionValues(args, spec.body, end)[0]?.word;
  const envFile = optionValues(args, spec.envFile, end)[0]?.word;
  const taken = new Set([...targets, ...environment].map((t) => t.word));
  const secretName = args.slice(end).find((a, k) => !a.text.startsWith('-') && !isOptionValue(args, end + k, taken));
  const setWord = args[end - 1];
  const first = command.nameWord ?? args[0];
  return {
    command,
    tool: 'gh secret set',
    at: { start: first.range.start, end: setWord.range.end },
    scope,
    targets: [...environment, ...targets].map((t) => t.word),
    ...(targetEnv ? { targetEnv } : {}),
    ...(secretName ? { name: secretName } : {}),
    values: [...(body ? [body] : []), ...(envFile ? [envFile] : []), ...stdinWords(command)],
    ...(body ? { body } : {}),
    stdinFrom: stdinCommands(command),
  };
}

/** Whether the argument at `index` is the value of the option before it (a target, or `--body`). */
function isOptionValue(args: Word[], index: number, taken: Set<Word>): boolean {
  const previous = args[index - 1] && unquote(args[index - 1].text);
  return taken.has(args[index]) || (previous !== undefined && /^-/.test(previous) && !previous.includes('='));
}

/** `gh api -X PUT /repos/o/r/actions/secrets/NAME -f encrypted_value=…`, and the same with curl. */
function restWrite(command: Command): SecretWrite | undefined {
  const { name, args } = effectiveCommand(command);
  const spec =
    name === SECRET_WRITES.curl.command
      ? SECRET_WRITES.curl
      : matchSubcommands(args, [...SECRET_WRITES.ghApi.subcommands]) >= 0 && name === SECRET_WRITES.ghApi.command
        ? SECRET_WRITES.ghApi
        : undefined;
  if (!spec) return undefined;
  const method = optionValues(args, spec.method)[0]?.word ?? args.find((a) => /^-X(PUT)$/i.test(unquote(a.text)));
  if (!method || !/PUT$/i.test(unquote(method.text))) return undefined;
  for (const arg of args) {
    const url = unquote(arg.text)
      .replace(/^https:\/\/api\.github\.com/, '')
      .replace(/[?#].*$/, '');
    const path = `/${url.replace(/^\/+/, '')}`;
    const known = SECRET_WRITES.paths.find((p) => p.path.test(path));
    if (!known) continue;
    return {
      command,
      tool: spec === SECRET_WRITES.curl ? 'curl' : 'gh api',
      at: arg.range,
      scope: known.scope,
      targets: [arg],
      values: [...optionValues(args, spec.fields).map((f) => f.word), ...stdinWords(command)],
      stdinFrom: stdinCommands(command),
    };
  }
  return undefined;
}

/** The writes of a secret to another repository, organisation or environment among a script's commands. */
export function secretWrites(commands: Command[], envNames: Set<string>): SecretWrite[] {
  return commands.flatMap((c) => {
    const write = ghSecretSet(c, envNames) ?? restWrite(c);
    return write ? [write] : [];
  });
}
