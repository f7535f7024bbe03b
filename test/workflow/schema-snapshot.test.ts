import { getWorkflowSchema } from '@actions/workflow-parser/workflows/workflow-schema';
import { describe, expect, it } from 'vitest';
import { CLASS_KEY, SCHEMA_CLASSES, workflowSchema } from '../../src/workflow/schema.js';

/** The schema as JSON, each class instance tagged with its class's name in SCHEMA_CLASSES. */
function serialize(schema: object): string {
  return `${JSON.stringify(schema, function (this: unknown, _key, value: unknown) {
    if (
      value === null ||
      typeof value !== 'object' ||
      Array.isArray(value) ||
      Object.getPrototypeOf(value) === Object.prototype
    )
      return value;
    const name = Object.keys(SCHEMA_CLASSES).find((n) => SCHEMA_CLASSES[n].prototype === Object.getPrototypeOf(value));
    if (!name) throw new Error(`The schema holds a ${value.constructor.name}, which SCHEMA_CLASSES does not list`);
    return { [CLASS_KEY]: name, ...value };
  })}\n`;
}

describe('workflow schema snapshot', () => {
  it('equals the schema @actions/workflow-parser builds (update with -u after upgrading it)', async () => {
    await expect(serialize(getWorkflowSchema())).toMatchFileSnapshot(
      '../../src/workflow/workflow-schema.snapshot.json',
    );
  });

  it('revives into the same objects, classes included', () => {
    const live = getWorkflowSchema();
    const revived = workflowSchema();
    expect(revived).toStrictEqual(live);
    expect(Object.keys(revived.definitions)).toEqual(Object.keys(live.definitions));
    for (const [name, definition] of Object.entries(live.definitions)) {
      expect(Object.getPrototypeOf(revived.definitions[name]), name).toBe(Object.getPrototypeOf(definition));
    }
  });
});
