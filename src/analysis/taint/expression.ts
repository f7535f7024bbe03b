import type { ExprRef, ExprSpan } from '../../workflow/expressions.js';
import type { Entry } from '../../workflow/model.js';
import { identifierLike } from '../secret-values.js';
import { extend, merge, type Taint } from './value.js';

/** What the secret flow of a job knows at a point of it, for the values a step reads. */
export interface TaintContext {
  /** Secret names that hold identifiers, not confidential values. */
  identifierSecrets: RegExp;
  env: Map<string, Taint>;
  /** Files of the job's workspace that hold secret content, by path as written. */
  files: Map<string, Taint>;
  /** `stepId.output` -> taint; `stepId.*` when every output of the step may carry a secret. */
  outputs: Map<string, Taint>;
  jobOutputs: Map<string, Map<string, Taint>>;
}

/** The taint of a `${{ }}` expression: what its references carry. */
export function exprTaint(expr: ExprSpan, ctx: TaintContext): Taint | undefined {
  const fields = expr.text.includes('(') ? fromJsonFields(expr.text) : [];
  return merge(
    expr.refs.map((r) => {
      // `fromJSON(secrets.AZURE_CREDENTIALS).clientId` reads an identifier out of the secret.
      const field = r.via.includes('fromjson') ? fields.find((f) => f.arg.includes(refText(r))) : undefined;
      return field && identifierLike(field.field, ctx.identifierSecrets) ? undefined : refTaint(r, ctx);
    }),
  );
}

/** Sets (or clears) each `env:` entry in `into` by what its value carries. */
export function addEntries(into: Map<string, Taint>, entries: Entry[], ctx: TaintContext): void {
  for (const e of entries) {
    const taint = merge((e.value?.expressions ?? []).map((x) => exprTaint(x, ctx)));
    if (taint) into.set(e.key, taint);
    else into.delete(e.key);
  }
}

function refTaint(ref: ExprRef, ctx: TaintContext): Taint | undefined {
  const [first, second, third] = ref.path;
  switch (ref.context) {
    case 'secrets': {
      if (first && identifierLike(first, ctx.identifierSecrets)) return undefined;
      const name = first === undefined ? 'secrets' : first === null ? 'secrets[…]' : `secrets.${first}`;
      return {
        chain: [name],
        tokenOnly: first?.toUpperCase() === 'GITHUB_TOKEN',
        derived: ref.via.includes('fromjson'),
      };
    }
    case 'github':
      return first === 'token' ? { chain: ['github.token'], tokenOnly: true, derived: false } : undefined;
    case 'env': {
      const t = first ? ctx.env.get(first) : undefined;
      return t && extend(t, `env.${first}`, t.derived || ref.via.includes('fromjson'));
    }
    case 'steps': {
      if (!first || second !== 'outputs') return undefined;
      const t = (third ? ctx.outputs.get(`${first}.${third}`) : undefined) ?? ctx.outputs.get(`${first}.*`);
      return t && extend(t, `steps.${first}.outputs.${third ?? '*'}`);
    }
    case 'needs': {
      if (!first || second !== 'outputs' || !third) return undefined;
      const t = ctx.jobOutputs.get(first)?.get(third);
      return t && extend(t, `needs.${first}.outputs.${third}`);
    }
    default:
      return undefined;
  }
}

/** `secrets.A`, `env.B`, `steps.c.outputs.d`: a reference as written without brackets, lower-cased. */
function refText(ref: ExprRef): string {
  return [ref.context, ...ref.path.filter((p): p is string => p !== null)].join('.').toLowerCase();
}

const FROM_JSON_ACCESS = /fromjson\s*\(\s*([^()]*?)\s*\)((?:\s*(?:\.\s*[A-Za-z_][\w-]*|\[\s*(?:'[^']*'|\d+)\s*\]))+)/gi;

/** `fromJSON(x).a[0].b` -> { arg: 'x', field: 'b' }: the last property read from each parsed value. */
function fromJsonFields(text: string): { arg: string; field: string }[] {
  return [...text.matchAll(FROM_JSON_ACCESS)].flatMap((m) => {
    const names = [...m[2].matchAll(/\.\s*([A-Za-z_][\w-]*)|\[\s*'([^']*)'\s*\]/g)].map((n) => n[1] ?? n[2]);
    const field = names.at(-1);
    return field
      ? [
          {
            arg: m[1]
              .replace(/\s+/g, '')
              .replace(/\[\s*'([^']*)'\s*\]/g, '.$1')
              .toLowerCase(),
            field,
          },
        ]
      : [];
  });
}
