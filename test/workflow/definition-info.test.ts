import { DefinitionInfo as PackageDefinitionInfo } from '@actions/workflow-parser/templates/schema/definition-info';
import { DefinitionType } from '@actions/workflow-parser/templates/schema/definition-type';
import { describe, expect, it } from 'vitest';
import { DefinitionInfo } from '../../src/workflow/definition-info.js';
import { loadWorkflow } from '../../src/workflow/load.js';
import { workflowSchema } from '../../src/workflow/schema.js';

type Info = {
  definition: unknown;
  allowedContext: string[];
  getScalarDefinitions(): unknown[];
  getDefinitionsOfType(type: DefinitionType): unknown[];
};

describe('DefinitionInfo', () => {
  it("gives every definition, under every parent definition, the package's allowed contexts", () => {
    const schema = workflowSchema();
    const names = Object.keys(schema.definitions);
    expect(names.length).toBeGreaterThan(400);
    let compared = 0;
    for (const parentName of names) {
      const ours = new DefinitionInfo(schema, parentName);
      const theirs = new PackageDefinitionInfo(schema, parentName);
      for (const name of names) {
        const [a, b]: Info[] = [new DefinitionInfo(ours, name), new PackageDefinitionInfo(theirs, name)];
        expect(a.definition).toBe(b.definition);
        expect(a.allowedContext).toEqual(b.allowedContext);
        compared++;
      }
      expect(ours.getScalarDefinitions()).toEqual(theirs.getScalarDefinitions());
      expect(ours.getDefinitionsOfType(DefinitionType.Mapping)).toEqual(
        theirs.getDefinitionsOfType(DefinitionType.Mapping),
      );
    }
    expect(compared).toBe(names.length ** 2);
  });

  it('is the class the template reader validates with', () => {
    const used = new Set<object>();
    const original = DefinitionInfo.prototype.getScalarDefinitions;
    DefinitionInfo.prototype.getScalarDefinitions = function (this: DefinitionInfo) {
      used.add(this);
      return original.call(this);
    };
    try {
      const loaded = loadWorkflow(
        'w.yml',
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.sha }}\n',
      );
      expect(loaded.diagnostics).toEqual([]);
    } finally {
      DefinitionInfo.prototype.getScalarDefinitions = original;
    }
    expect(used.size).toBeGreaterThan(0);
  });
});
