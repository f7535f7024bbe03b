import { BooleanDefinition } from '@actions/workflow-parser/templates/schema/boolean-definition';
import { MappingDefinition } from '@actions/workflow-parser/templates/schema/mapping-definition';
import { NullDefinition } from '@actions/workflow-parser/templates/schema/null-definition';
import { NumberDefinition } from '@actions/workflow-parser/templates/schema/number-definition';
import { OneOfDefinition } from '@actions/workflow-parser/templates/schema/one-of-definition';
import { PropertyDefinition } from '@actions/workflow-parser/templates/schema/property-definition';
import { SequenceDefinition } from '@actions/workflow-parser/templates/schema/sequence-definition';
import { StringDefinition } from '@actions/workflow-parser/templates/schema/string-definition';
import { TemplateSchema } from '@actions/workflow-parser/templates/schema/template-schema';
import snapshot from './workflow-schema.snapshot.json' with { type: 'json' };

/** The classes a schema is made of, by the name its snapshot gives them. */
export const SCHEMA_CLASSES: Record<string, { prototype: object }> = {
  TemplateSchema,
  BooleanDefinition,
  MappingDefinition,
  NullDefinition,
  NumberDefinition,
  OneOfDefinition,
  PropertyDefinition,
  SequenceDefinition,
  StringDefinition,
};

/** The key that names an object's class in the snapshot. */
export const CLASS_KEY = '$class';

let schema: TemplateSchema | undefined;

/**
 * GitHub's workflow schema, revived from a snapshot of what @actions/workflow-parser builds. Its own
 * `getWorkflowSchema()` validates the schema's JSON against a schema of schemas first, which takes
 * 50-80 ms of a one-file run; the result is plain data, so it is kept as JSON (test/workflow/
 * schema-snapshot.test.ts fails when the snapshot no longer equals the package's schema; run
 * `npx vitest run -u test/workflow/schema-snapshot.test.ts` after upgrading the package).
 */
export function workflowSchema(): TemplateSchema {
  if (schema) return schema;
  const { definitions, ...fields } = snapshot as { definitions: Record<string, unknown> };
  // Each definition is revived when first looked up: a workflow needs 60-70 of the 449.
  const isDefinition = (name: string | symbol): name is string =>
    typeof name === 'string' && Object.hasOwn(definitions, name);
  const revived: Record<string, unknown> = {};
  const definition = (name: string) => (revived[name] ??= revive(definitions[name]));
  const lazyDefinitions = new Proxy(revived, {
    get: (target, name) => (isDefinition(name) ? definition(name) : Reflect.get(target, name)),
    has: (_, name) => isDefinition(name),
    ownKeys: () => Object.keys(definitions),
    getOwnPropertyDescriptor: (_, name) =>
      isDefinition(name)
        ? { value: definition(name), writable: true, enumerable: true, configurable: true }
        : undefined,
  });
  schema = Object.assign(revive(fields) as TemplateSchema, { definitions: lazyDefinitions });
  return schema;
}

/**
 * Copies the snapshot's ~5,000 values into objects of their classes. It runs once per process, cold:
 * a for-in loop takes a third of the time of `{ [CLASS_KEY]: name, ...fields }` and Object.entries.
 */
function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (value === null || typeof value !== 'object') return value;
  const fields = value as Record<string, unknown>;
  const className = fields[CLASS_KEY];
  const target: Record<string, unknown> =
    typeof className === 'string' ? Object.create(SCHEMA_CLASSES[className].prototype) : {};
  for (const key in fields) if (key !== CLASS_KEY) target[key] = revive(fields[key]);
  return target;
}
