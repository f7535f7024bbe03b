import { isCollection, isMap, isScalar, type Document, type Node } from 'yaml';
import { similarNames } from '../config/names.js';
import {
  allowedConstants,
  definitionsAt,
  expectedShapes,
  knownKeys,
  pathAt,
  type PathSegment,
} from './schema-paths.js';
import { workflowSchema } from './schema.js';

/** An error of GitHub's schema reader or converter, at offsets in the file. */
export interface SchemaError {
  raw: string;
  start: number;
  end: number;
}

const ROOT = 'workflow-root';
const STRICT_ON = 'on-strict';
const REFUSED = 'GitHub rejects this workflow';
const UNTYPED_INPUT = 'GitHub does not check it when it loads the workflow, and the input is not typed';
/** Lists longer than this are left to the documentation; the closest names are still suggested. */
const MAX_LISTED = 8;

/** The reader's and the converter's messages, recognised to be said again with the place and what fits there. */
const RAW = {
  unexpected: /^Unexpected value '(.*)'$/s,
  mapping: /^A mapping was not expected$/,
  sequence: /^A sequence was not expected$/,
  required: /^Required property is missing: (.+)$/,
  oneOf: /^There's not enough info to determine what you meant\. Add one of these properties: (.+)$/,
  duplicate: /^'(.*)' is already defined$/,
};

/** A message for something GitHub refuses to load: what is wrong, where, and what fits there. */
export function refusedMessage(error: SchemaError, doc: Document): string {
  const { path, onKey } = pathAt(doc.contents as Node, error.start);
  const raw = error.raw.trim();
  const where = (segments: PathSegment[]) => (segments.length === 0 ? 'the workflow' : `\`${yamlPath(segments)}\``);
  let m: RegExpMatchArray | null;
  if ((m = raw.match(RAW.unexpected)) && onKey) {
    const parent = path.slice(0, -1);
    const keys = knownKeys(definitionsAt(workflowSchema(), ROOT, parent));
    // A key of another form of the same thing: a step's `run` beside its `uses`.
    if (keys.includes(m[1])) return `\`${m[1]}\` does not go with the other keys of ${where(parent)}; ${REFUSED}.`;
    return `Unknown key \`${m[1]}\` in ${where(parent)}${keyHint(m[1], keys)}; ${REFUSED}.`;
  }
  if ((m = raw.match(RAW.unexpected)))
    return `${valueProblem(m[1], path, definitionsAt(workflowSchema(), ROOT, path))}; ${REFUSED}.`;
  // These are reported at the start of a mapping or list, which is also where its first key starts.
  const collection = collectionPath(path, error.start);
  if (RAW.mapping.test(raw) || RAW.sequence.test(raw)) {
    const shape = RAW.mapping.test(raw) ? 'a mapping' : 'a list';
    const fits = whatFits(definitionsAt(workflowSchema(), ROOT, collection)).filter((s) => s !== shape);
    return `${where(collection)} cannot be ${shape}${fits.length ? `: it takes ${orList(fits)}` : ''}; ${REFUSED}.`;
  }
  if ((m = raw.match(RAW.required)))
    return `${capitalise(where(collection))} lacks \`${m[1]}\`, which GitHub requires; ${REFUSED}.`;
  if ((m = raw.match(RAW.oneOf))) {
    const options = m[1].split(/,\s*/).map((o) => `\`${o}\``);
    const needs = `${capitalise(where(collection))} needs ${orList(options)}`;
    return `${needs}: without one GitHub cannot tell what it is; ${REFUSED}.`;
  }
  if ((m = raw.match(RAW.duplicate))) return `\`${m[1]}\` is defined twice in ${where(path.slice(0, -1))}; ${REFUSED}.`;
  return path.length > 0 ? `In ${where(path)}: ${sentence(raw)}` : sentence(raw);
}

/**
 * Messages for what only the strict schema rejects under `on:`: GitHub loads the workflow and ignores
 * it. A mapping under an event that takes none gives one message per key, at the key.
 */
export function ignoredMessages(error: SchemaError, doc: Document): { message: string; start: number; end: number }[] {
  if (!isMap(doc.contents)) return [];
  const onPair = doc.contents.items.find((p) => isScalar(p.key) && p.key.value === 'on');
  const { path, onKey } = pathAt(onPair?.value as Node, error.start);
  const raw = error.raw.trim();
  const one = (message: string) => [{ message, start: error.start, end: error.end }];
  const event = typeof path[0]?.key === 'string' ? path[0].key : undefined;
  const events = knownKeys(definitionsAt(workflowSchema(), STRICT_ON, []));
  const unexpected = raw.match(RAW.unexpected);

  const eventName = path.length === 0 || (path.length === 1 && typeof path[0].key === 'number');
  if (unexpected && ((onKey && path.length === 1) || eventName)) {
    return one(
      `GitHub knows no \`${unexpected[1]}\` event${keyHint(unexpected[1], events)}, so this trigger never fires.`,
    );
  }
  const eventValue = path[0]?.value;
  if (event && RAW.mapping.test(raw) && isMap(eventValue) && eventValue.range?.[0] === error.start) {
    // An event that takes no filters: each key is ignored, and the event fires unfiltered.
    return eventValue.items.map((pair) => {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const [start, end] = (pair.key as Node).range ?? [error.start, error.end];
      const why = events.includes(key) ? nestedTrigger(key, event) : unfilteredEvent(event, key);
      return { message: why, start, end };
    });
  }
  if (event && unexpected && onKey && path.length === 2) {
    const key = unexpected[1];
    if (events.includes(key)) return one(nestedTrigger(key, event));
    const filters = knownKeys(definitionsAt(workflowSchema(), STRICT_ON, path.slice(0, 1)));
    const takes = filters.length
      ? ` \`${event}\` takes ${orList(
          filters.map((f) => `\`${f}\``),
          'and',
        )}.`
      : '';
    const hint = filterHint(event, key) || keyHint(key, filters, ' (did you mean ', ')');
    return one(`GitHub ignores \`${key}\` under \`${event}\`, so it filters nothing${hint}.${takes}`);
  }
  if (event && unexpected && path.at(-2)?.key === 'types') {
    const types = allowedConstants(definitionsAt(workflowSchema(), STRICT_ON, path));
    const known = TYPE_HINTS[unexpected[1]]
      ? `; ${TYPE_HINTS[unexpected[1]]}`
      : types.length <= MAX_LISTED
        ? `; the types are ${orList(types.map((t) => `\`${t}\``))}`
        : keyHint(unexpected[1], types, '; did you mean ', '');
    return one(`\`${unexpected[1]}\` is not a \`${event}\` activity type, so GitHub never matches it${known}.`);
  }
  if (event === 'workflow_dispatch' && unexpected && path.at(-1)?.key === 'type') {
    const types = orList(allowedConstants(definitionsAt(workflowSchema(), STRICT_ON, path)).map((t) => `\`${t}\``));
    return one(`\`${unexpected[1]}\` is not a \`workflow_dispatch\` input type (${types}); ${UNTYPED_INPUT}.`);
  }
  if (unexpected && onKey) {
    const parent = path.slice(0, -1);
    const keys = knownKeys(definitionsAt(workflowSchema(), STRICT_ON, parent));
    const takes = keys.length ? `; it takes ${orList(keys.map((k) => `\`${k}\``))}` : '';
    const place = yamlPath([{ key: 'on', value: null }, ...parent]);
    return one(`GitHub ignores \`${unexpected[1]}\` in \`${place}\`${keyHint(unexpected[1], keys)}${takes}.`);
  }
  const problem = unexpected
    ? valueProblem(unexpected[1], path, definitionsAt(workflowSchema(), STRICT_ON, path), 'on')
    : sentence(raw).slice(0, -1);
  return one(`${problem}; GitHub reads \`on:\` loosely and ignores what its schema does not allow here.`);
}

/** The path to the deepest mapping or list that starts at `offset` (the whole document when none does). */
function collectionPath(path: PathSegment[], offset: number): PathSegment[] {
  let depth = 0;
  path.forEach((segment, i) => {
    if (isCollection(segment.value) && segment.value.range?.[0] === offset) depth = i + 1;
  });
  return path.slice(0, depth);
}

function nestedTrigger(key: string, event: string): string {
  const never = `GitHub never triggers this workflow on \`${key}\``;
  return `\`${key}\` is indented under \`${event}\`, so ${never}; move it one level out.`;
}

/** A filter under an event that takes none: GitHub ignores it, and the event fires unfiltered. */
function unfilteredEvent(event: string, key: string): string {
  const every = EVENT_WORDS[event] ?? `\`${event}\` event`;
  const ignored = `GitHub ignores \`${key}\` and runs this workflow on every ${every}`;
  return `\`${event}\` takes no filters: ${ignored}${filterHint(event, key)}.`;
}

/** What was meant by activity types that do not exist. */
const TYPE_HINTS: Record<string, string> = {
  merged: 'to run when a pull request is merged, use `closed` and check `github.event.pull_request.merged` in an `if:`',
};

/** What an unfiltered event means, where its name does not say it. */
const EVENT_WORDS: Record<string, string> = { create: 'branch and tag creation', delete: 'branch and tag deletion' };

/** What was probably meant, for filters that people reach for on events that lack them. */
const FILTER_HINTS: Record<string, Record<string, string>> = {
  create: {
    tags: 'to run when tags are pushed, use `push: tags:`',
    branches: 'to run when branches are pushed, use `push: branches:`',
  },
  delete: {
    tags: 'check `github.event.ref_type` in an `if:` instead',
    branches: 'check `github.event.ref_type` in an `if:` instead',
  },
  pull_request: { tags: 'pull requests have no tags', 'tags-ignore': 'pull requests have no tags' },
  pull_request_target: { tags: 'pull requests have no tags', 'tags-ignore': 'pull requests have no tags' },
  merge_group: {
    paths: 'merge groups cannot be filtered by path',
    'paths-ignore': 'merge groups cannot be filtered by path',
  },
};

function filterHint(event: string, key: string): string {
  const hint = FILTER_HINTS[event]?.[key];
  return hint ? `; ${hint}` : '';
}

function keyHint(key: string, candidates: string[], open = ' (did you mean ', close = ')'): string {
  const similar = similarNames(key, candidates);
  return similar.length ? `${open}${orList(similar.map((s) => `\`${s}\``))}?${close}` : '';
}

function valueProblem(
  value: string,
  path: PathSegment[],
  defs: ReturnType<typeof definitionsAt>,
  prefix?: string,
): string {
  const segments = prefix ? [{ key: prefix, value: null }, ...path] : path;
  const where = segments.length ? `\`${yamlPath(segments)}\`` : 'The document';
  const expected = whatFits(defs);
  const what = value === '' ? `${where} is empty` : `${where} cannot be \`${value}\``;
  return `${what}${expected.length ? `: it takes ${orList(expected)}` : ''}`;
}

/** What a value at this place may be, in words: its shapes, and its constants when they are few. */
function whatFits(defs: ReturnType<typeof definitionsAt>): string[] {
  const constants = allowedConstants(defs);
  return [...expectedShapes(defs), ...(constants.length <= MAX_LISTED ? constants.map((c) => `\`${c}\``) : [])];
}

/** `jobs.build.steps[2].with`: the place of a value, as a reader of the file would name it. */
function yamlPath(path: PathSegment[]): string {
  return path.map((s, i) => (typeof s.key === 'number' ? `[${s.key}]` : `${i > 0 ? '.' : ''}${s.key}`)).join('');
}

function orList(items: string[], word = 'or'): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}
