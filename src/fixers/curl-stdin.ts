import { basename, effectiveCommand } from '../analysis/match.js';
import type { Command, Word } from '../analysis/shell/script.js';
import { optionOf, receiverOf } from '../analysis/shell/tool-options.js';
import { withBlankBefore, type ScriptReplacement } from './script-edit.js';
import { literalPrefix, requoted, type Lift } from './shell-word.js';

/**
 * How curl reads an option's value from stdin instead of its command line (curl's manual, "-H",
 * "-d", "--data-urlencode", "-K"): `-H @-` reads one header a line (curl 7.55 and later), `-d @-`
 * a body (`--data-binary @-` keeps its line breaks, which `-d @file` strips), `--data-urlencode
 * name@-` a value to encode, and `-K -` a config file whose lines are options (`user = "…"`).
 */
interface CurlOption {
  /** The option's name in a config file; absent for bodies, which may span lines and so cannot be one. */
  config?: string;
  /** The argument that reads the value from stdin, the option to give it to, and the printf format that writes it. */
  stdin?: { arg: string; option?: string; format: string; named?: boolean };
  /** A value starting with `@` names a file to read (not for `--data-raw`, which sends the `@`). */
  files?: boolean;
}

/** printf formats, as written in the script: a header line, and a body byte for byte. */
const LINE = "'%s\\n'";
const BODY = "'%s'";
const HEADER: CurlOption = { config: 'header', stdin: { arg: '@-', format: LINE } };
const USER: CurlOption = { config: 'user' };
const PROXY_USER: CurlOption = { config: 'proxy-user' };
/** A URL: `--url`'s value, or the command's one positional argument. */
const URL_OPTION: CurlOption = { config: 'url' };
const DATA_RAW: CurlOption = { stdin: { arg: '@-', option: '--data-binary', format: BODY } };
const DATA: CurlOption = { ...DATA_RAW, files: true };

const CURL_OPTIONS: Record<string, CurlOption> = {
  '-H': HEADER,
  '--header': HEADER,
  '--proxy-header': { config: 'proxy-header', stdin: { arg: '@-', format: LINE } },
  '-u': USER,
  '--user': USER,
  '-U': PROXY_USER,
  '--proxy-user': PROXY_USER,
  '--oauth2-bearer': { config: 'oauth2-bearer' },
  '--url': URL_OPTION,
  '-d': DATA,
  '--data': DATA,
  '--data-ascii': DATA,
  '--data-raw': DATA_RAW,
  '--data-binary': DATA,
  '--json': { stdin: { arg: '@-', format: BODY }, files: true },
  '--data-urlencode': { stdin: { arg: '@-', format: BODY, named: true } },
};

/** Options whose `-` means stdout, not stdin. */
const STDOUT_OPTIONS = new Set(['-o', '--output', '-D', '--dump-header', '-c', '--cookie-jar', '--trace']);
/** An argument that reads stdin: `-`, `@-` (`-d @-`, `name@-`), `<-` (`-F name=<-`), /dev/stdin. */
const STDIN_ARG = /^(?:-|-[TK]-|\S*[@<]-|\S*\/dev\/(?:stdin|fd\/0))$/;
/** `-T .` uploads stdin too, without blocking. */
const UPLOAD_OPTIONS = new Set(['-T', '--upload-file']);
const STDIN_SOURCES = { pipe: 'a pipe', heredoc: 'a here-document', herestring: 'a here-string', file: 'a file' };

/** Commands that start curl with its stdin left as it is. */
const STARTERS = new Set(['curl', 'sudo', 'env', 'command']);

/**
 * Escapes a config line's value for curl's double quotes (`\\` and `\"`; curl reads `\` before any
 * other character as that character) and puts it after the option's name. A value is one line:
 * headers and user names cannot hold a line break.
 */
const ESCAPE = 's/[\\\\"]/\\\\&/g';

export interface CurlRewrite {
  description: string;
  replacements: ScriptReplacement[];
  lifts: Lift[];
}

interface Move {
  word: Word;
  /** The option word before the value; none for a positional URL. */
  option?: Word;
  spec: CurlOption;
  value: { text: string; lifts: Lift[] };
}

const unquote = (text: string) => text.replace(/^["']|["']$/g, '');

/** Why curl's stdin is taken already, if it is. */
function stdinTaken(command: Command, args: Word[]): string | undefined {
  if (command.stdin) return `its stdin is ${STDIN_SOURCES[command.stdin]}`;
  const reader = args.find((a, i) => {
    const before = args[i - 1]?.text ?? '';
    const text = unquote(a.text);
    return (STDIN_ARG.test(text) && !STDOUT_OPTIONS.has(before)) || (text === '.' && UPLOAD_OPTIONS.has(before));
  });
  return reader && `it reads stdin already (\`${reader.text}\`)`;
}

/** Why a secret word is not the command's one URL, if it is not. */
function notTheUrl(command: Command, word: Word): string | undefined {
  const { tool, args } = receiverOf(command, word);
  const positional = (w: Word) => !w.text.startsWith('-') && optionOf(tool, args, args.indexOf(w)) === undefined;
  if (!positional(word)) return 'wf-lint moves only URLs, headers, user names and bodies (`-H`, `-u`, `-d` …) to stdin';
  if (args.filter(positional).length > 1) return 'the command has several URLs, which `-o` options pair with in order';
  return undefined;
}

/** The option a secret word is the value of, and the word rewritten for printf; or why it stays. */
function moveOf(command: Command, args: Word[], word: Word): Move | string {
  const before = args[args.indexOf(word) - 1];
  const option = before && CURL_OPTIONS[before.text] ? before : undefined;
  const spec = option ? CURL_OPTIONS[option.text] : URL_OPTION;
  const why = option ? undefined : notTheUrl(command, word);
  if (why) return why;
  if (spec.files && unquote(word.text).startsWith('@')) return 'the value names a file to read';
  if (spec.config && word.text.includes('\n')) return 'the value spans lines';
  const value = requoted(word);
  return 'refused' in value ? value.refused : { word, option, spec, value };
}

/** `name=VALUE` for `--data-urlencode`: the name, and VALUE as a word of its own. */
function namedValue(move: Move): { name: string; value: Move['value'] } | undefined {
  const prefix = literalPrefix(move.word);
  const eq = prefix.findIndex((p) => p.char === '=');
  const name = prefix
    .slice(0, eq)
    .map((p) => p.char)
    .join('');
  if (eq < 0 || !/^[\w.-]*$/.test(name)) return undefined;
  const value = requoted(move.word, prefix[eq].index + 1, prefix[eq].quote);
  return 'refused' in value ? undefined : { name, value };
}

/**
 * Removes an option and its value. One alone on a line of a `\`-continued command goes with its line:
 * with the `\` that ends it, or, on the command's last line, with the `\` before it.
 */
function removal(script: string, from: number, to: number): ScriptReplacement {
  const lineBegin = script.lastIndexOf('\n', from - 1);
  const alone = lineBegin >= 0 && /^[ \t]*$/.test(script.slice(lineBegin + 1, from));
  const continued = /^[ \t]*\\(?=\n)/.exec(script.slice(to));
  if (alone && continued) return { from: lineBegin, to: to + continued[0].length, text: '' };
  const lastLine = /[ \t]*\\$/.exec(script.slice(0, lineBegin));
  if (alone && lastLine && /^[ \t]*(\n|$)/.test(script.slice(to))) return { from: lastLine.index, to, text: '' };
  return { from: withBlankBefore(script, from), to, text: '' };
}

/** One secret on stdin, where curl reads that option from it: `printf … | curl -H @- …`. */
function stdinRewrite(command: Command, move: Move): CurlRewrite | string {
  const stdin = move.spec.stdin!;
  const named = stdin.named ? namedValue(move) : undefined;
  if (stdin.named && !named) return 'curl splits a `--data-urlencode` value without `name=` at its first `=`';
  const value = named?.value ?? move.value;
  const option = stdin.option ?? move.option!.text;
  return {
    description: `send the value of ${option} on stdin (${option} ${named ? `${named.name}@-` : stdin.arg})`,
    lifts: value.lifts,
    replacements: [
      { from: command.start, to: command.start, text: `printf ${stdin.format} ${value.text} | ` },
      { from: move.option!.start, to: move.option!.end, text: option },
      { from: move.word.start, to: move.word.end, text: named ? `${named.name}@-` : stdin.arg },
    ],
  };
}

/** Several options, or one curl reads only from a config, in a config on stdin: `… | sed … | curl -K - …`. */
function configRewrite(command: Command, script: string, moves: Move[]): CurlRewrite {
  const values = moves.map((m) => m.value.text).join(' ');
  const lines = moves.map((m, i) => `${moves.length > 1 ? i + 1 : ''}s/.*/${m.spec.config} = "&"/`);
  const [first, ...rest] = moves;
  return {
    description: `pass ${moves.map((m) => m.spec.config).join(' and ')} in a config on stdin (-K -)`,
    lifts: moves.flatMap((m) => m.value.lifts),
    replacements: [
      {
        from: command.start,
        to: command.start,
        text: `printf '%s\\n' ${values} | sed '${[ESCAPE, ...lines].join('; ')}' | `,
      },
      { from: (first.option ?? first.word).start, to: first.word.end, text: '-K -' },
      ...rest.map((m) => removal(script, (m.option ?? m.word).start, m.word.end)),
    ],
  };
}

/**
 * Takes the secret values of a curl command (`tainted`) off its command line, reading them from stdin;
 * returns the rewrite if it moves `word`, else why `word` stays. Only one thing can read stdin: one
 * value goes there as curl reads that option (`-H @-`, `--data-binary @-`), several as a config
 * (`-K -`), where bodies cannot go. Undefined for any command but curl.
 */
export function curlRewrite(
  command: Command,
  script: string,
  tainted: Word[],
  word: Word,
): CurlRewrite | string | undefined {
  const { name, args } = effectiveCommand(command);
  const starter = basename(command.name);
  if (name !== 'curl' || !STARTERS.has(starter))
    return receiverOf(command, word).name === 'curl' ? `curl is started by \`${starter}\`` : undefined;
  if (command.backquoted) return 'the command is in backquotes, which read backslashes first';
  const taken = stdinTaken(command, args);
  if (taken) return taken;
  const moves = tainted.map((w) => moveOf(command, args, w));
  const own = moves[tainted.indexOf(word)];
  if (typeof own === 'string') return own;
  const movable = moves.filter((m): m is Move => typeof m !== 'string');
  const carried = movable.length === 1 ? movable : movable.filter((m) => m.spec.config);
  if (!carried.includes(own)) return 'curl reads stdin once, and a body cannot share it with other secrets';
  if (carried.length === 1 && own.spec.stdin) return stdinRewrite(command, own);
  const [first, last] = [carried[0], carried[carried.length - 1]];
  const next = args.find((a) => (a.text === '--next' || a.text === '-:') && a.start > first.word.start);
  if (next && next.start < last.word.start) return '`--next` separates the options';
  return configRewrite(command, script, carried);
}
