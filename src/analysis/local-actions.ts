import { parse } from 'yaml';

/** A step of a local composite action, as far as rules read it: the text of its values, not their positions. */
export interface ActionStep {
  /** Its name, else its `uses:`, else the first line of its script. */
  label: string;
  /** `owner/repo` of its `uses:`, lower-cased, without the version. */
  action?: string;
  /** `with:` and `env:` by key, as written. */
  with: [string, string][];
  env: [string, string][];
  run?: string;
}

/** An action of the repository (`uses: ./.github/actions/db-actions`), read from its action.yml. */
export interface LocalAction {
  /** The `uses:` value that names it. */
  uses: string;
  /** Its `name:` and `description:`. */
  name: string;
  description: string;
  /** `runs.using`, lower-cased: `composite`, `docker`, `node20`. */
  using: string;
  /** A composite action's steps; none for the other kinds, whose code wf-lint does not read. */
  steps: ActionStep[];
}

/** What an action.yml says; undefined for a file that is not a mapping. */
export function localAction(uses: string, text: string): LocalAction | undefined {
  let doc: Record<string, unknown> | undefined;
  try {
    doc = record(parse(text, { maxAliasCount: 100 }));
  } catch {
    return undefined;
  }
  if (!doc) return undefined;
  const runs = record(doc.runs);
  const using = typeof runs?.using === 'string' ? runs.using.toLowerCase() : '';
  const steps = using === 'composite' && Array.isArray(runs?.steps) ? runs.steps.map(record) : [];
  return {
    uses,
    name: typeof doc.name === 'string' ? doc.name : '',
    description: typeof doc.description === 'string' ? doc.description : '',
    using,
    steps: steps.filter((s) => s !== undefined).map(actionStep),
  };
}

function actionStep(step: Record<string, unknown>): ActionStep {
  const uses = typeof step.uses === 'string' ? step.uses.trim() : undefined;
  const run = typeof step.run === 'string' ? step.run : undefined;
  const name = typeof step.name === 'string' ? step.name : undefined;
  const action = uses && !uses.startsWith('./') ? uses.split('@')[0].toLowerCase() : undefined;
  return {
    label: name ?? uses ?? run?.split('\n')[0] ?? 'step',
    ...(action ? { action } : {}),
    with: entries(step.with),
    env: entries(step.env),
    ...(run !== undefined ? { run } : {}),
  };
}

function entries(value: unknown): [string, string][] {
  return Object.entries(record(value) ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]);
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}
