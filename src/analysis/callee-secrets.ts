import { isMap, isScalar, visit } from 'yaml';
import type { ExprRef } from '../workflow/expressions.js';
import { ScalarValue } from '../workflow/model.js';
import type { Workflow } from '../workflow/model.js';
import type { CalledWorkflow } from './called-workflows.js';

/** GitHub gives every workflow its GITHUB_TOKEN: it is never passed. */
const ALWAYS_THERE = 'GITHUB_TOKEN';

/**
 * Every `secrets` reference in any value of a workflow: also where the model has no field (a job's
 * `container.credentials`, `services`), since a secret missed here would be taken from the callee.
 */
function secretRefs(workflow: Workflow): ExprRef[] {
  const refs: ExprRef[] = [];
  visit(workflow.doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !node.value.includes('${{')) return;
      const value = new ScalarValue(node, workflow.file);
      refs.push(...value.expressions.flatMap((e) => e.refs.filter((r) => r.context === 'secrets')));
    },
  });
  return refs;
}

/** The mapping under `on.workflow_call.secrets`. */
function secretsDeclaration(workflow: Workflow) {
  const on = workflow.entries.find((e) => e.key === 'on')?.valueNode;
  const call = isMap(on) ? on.get('workflow_call', true) : undefined;
  const secrets = isMap(call) ? call.get('secrets', true) : undefined;
  return isMap(secrets) ? secrets : undefined;
}

/** The names under `on.workflow_call.secrets`, as written. */
function declaredSecrets(workflow: Workflow): string[] {
  const secrets = secretsDeclaration(workflow);
  return secrets ? secrets.items.flatMap((p) => (isScalar(p.key) ? [String(p.key.value)] : [])) : [];
}

/**
 * The secrets a reusable workflow declares with `required: false` (upper-cased): built to run without them.
 * (A secret it does not declare reaches it only through `secrets: inherit`.)
 */
export function optionalCallSecrets(workflow: Workflow): Set<string> {
  const optional = new Set<string>();
  for (const pair of secretsDeclaration(workflow)?.items ?? []) {
    const required = isMap(pair.value) ? pair.value.get('required') : undefined;
    // Only an explicit `required: false`: many declare a secret they need without saying so (false is
    // GitHub's default).
    if (isScalar(pair.key) && (required === false || required === 'false'))
      optional.add(String(pair.key.value).toUpperCase());
  }
  return optional;
}

/**
 * What an explicit `secrets:` mapping must pass a local reusable workflow so that it runs as with
 * `secrets: inherit`: every secret it declares. GitHub refuses an explicit secret the callee does not
 * declare, so a callee that reads an undeclared secret (which only `inherit` hands it), reads secrets
 * by a computed name or all at once, or hands its own secrets on with `inherit`, gets no list (undefined).
 */
export function calleeSecrets(called: CalledWorkflow): string[] | undefined {
  const { workflow } = called;
  const declared = declaredSecrets(workflow);
  const known = new Set([...declared, ALWAYS_THERE].map((n) => n.toUpperCase()));
  for (const ref of secretRefs(workflow)) {
    const [name] = ref.path;
    if (typeof name !== 'string' || !known.has(name.toUpperCase())) return undefined;
  }
  if (workflow.jobs.some((j) => j.secretsInherit)) return undefined;
  return declared;
}
