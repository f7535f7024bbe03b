import type { ScalarValue, Step } from '../workflow/model.js';
import { WRAPPERS } from './shell/commands.js';
import type { Command, Word } from './shell/script.js';

/** Describes a CLI invocation in the knowledge tables: `aws ssm get-parameter`, `helm upgrade`. */
export interface CommandPattern {
  /** Program name, compared with the basename of the command (`/usr/local/bin/aws` is `aws`). */
  command: string;
  /** Leading subcommands, in order; flags (and their values) may sit between them. */
  subcommands?: string[];
  /** Flags that must all be present (`--prod`, or `--flag=value` forms). */
  flags?: string[];
}

/** `text` as a RegExp source that matches it literally: names from a workflow may hold `(`, `[` or `+`. */
export function literalPattern(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A RegExp source that matches any one of `pieces`: a long alternation written as short named parts. */
export function anyOf(pieces: RegExp[]): string {
  return pieces.map((p) => p.source).join('|');
}

/** The program a command really runs, and its arguments: `sudo -E helm upgrade x` is `helm upgrade x`. */
export function effectiveCommand(command: Command): { name: string; args: Word[] } {
  let name = basename(command.name);
  let args = command.args;
  for (let hops = 0; WRAPPERS.has(name) && hops < 3; hops++) {
    const i = args.findIndex((a) => !a.text.startsWith('-') && !/^\w+=/.test(a.text));
    if (i < 0) break;
    name = basename(args[i].text);
    args = args.slice(i + 1);
  }
  return { name, args };
}

export function basename(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const quoted = name.startsWith('"') || name.startsWith("'") || name.endsWith('"') || name.endsWith("'");
  return quoted ? name.replace(/^["']|["']$/g, '') : name;
}

/** Index just after the matched subcommands, or -1. */
export function matchSubcommands(args: Word[], subcommands: string[]): number {
  let i = 0;
  let afterFlag = false;
  for (const expected of subcommands) {
    for (;;) {
      const arg = args[i];
      if (!arg) return -1;
      const text = arg.text.replace(/^["']|["']$/g, '');
      i++;
      if (text === expected) {
        afterFlag = false;
        break;
      }
      if (text.startsWith('-')) {
        afterFlag = !text.includes('=');
        continue;
      }
      if (afterFlag) {
        afterFlag = false;
        continue;
      }
      return -1;
    }
  }
  return i;
}

export function hasFlag(args: Word[], flag: string): boolean {
  return args.some((a) => a.text === flag || a.text.startsWith(`${flag}=`));
}

export function commandMatches(command: Command, pattern: CommandPattern): boolean {
  const { name, args } = effectiveCommand(command);
  if (name !== pattern.command) return false;
  if (pattern.subcommands && matchSubcommands(args, pattern.subcommands) < 0) return false;
  return (pattern.flags ?? []).every((f) => hasFlag(args, f));
}

/** The value of a `with:` input of a step (keys compared case-insensitively, as the runner does). */
export function withInput(step: Step, key: string): ScalarValue | undefined {
  const entry = step.with.find((e) => e.key.toLowerCase() === key);
  return entry?.value && entry.value.text.trim() !== '' ? entry.value : undefined;
}

/** `owner/repo` (or `owner/repo/path`) of a `uses:` reference, lower-cased, without the version. */
export function actionName(step: Step): string | undefined {
  const uses = step.uses?.text.trim();
  return !uses || uses.startsWith('./') || uses.startsWith('docker://') ? undefined : uses.split('@')[0].toLowerCase();
}

/** An action named in settings (`My-Org/Deploy-Action@v2`) as actionName gives it: `my-org/deploy-action`. */
export function settingsAction(name: string): string {
  return name.toLowerCase().split('@')[0];
}

/** `owner/repo` is listed, or `owner/repo/path` sits under a listed action. */
export function listedAction(names: string[], action: string): boolean {
  return names.some((n) => action === n || action.startsWith(`${n}/`));
}
