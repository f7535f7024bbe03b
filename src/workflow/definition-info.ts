import type { Definition } from '@actions/workflow-parser/templates/schema/definition';
import type { DefinitionType } from '@actions/workflow-parser/templates/schema/definition-type';
import type { ScalarDefinition } from '@actions/workflow-parser/templates/schema/scalar-definition';
import type { TemplateSchema } from '@actions/workflow-parser/templates/schema/template-schema';

/**
 * @actions/workflow-parser's DefinitionInfo (templates/schema/definition-info.js), which its template
 * reader creates for every value it validates. The package's class copies and upper-cases the whole
 * list of allowed expression contexts each time (3% of a corpus run); this one works a list out once
 * per parent list and definition. The lists are never changed after, so they can be shared.
 *
 * The bundle (scripts/build.mjs) and the tests (vitest.config.ts) have the template reader import this
 * module instead of the package's; test/workflow/definition-info.test.ts compares the two classes.
 */
export class DefinitionInfo {
  readonly isDefinitionInfo = true;
  private readonly _schema: TemplateSchema;
  readonly definition: Definition;
  readonly allowedContext: string[];

  constructor(schemaOrParent: TemplateSchema | DefinitionInfo, nameOrDefinition: string | Definition) {
    const parent =
      (schemaOrParent as Partial<DefinitionInfo>).isDefinitionInfo === true
        ? (schemaOrParent as DefinitionInfo)
        : undefined;
    this._schema = parent ? parent._schema : (schemaOrParent as TemplateSchema);
    this.definition =
      typeof nameOrDefinition === 'string' ? this._schema.getDefinition(nameOrDefinition) : nameOrDefinition;
    const inherited = parent?.allowedContext ?? NO_CONTEXT;
    this.allowedContext =
      this.definition.readerContext.length > 0 ? withReaderContext(inherited, this.definition) : inherited;
  }

  getScalarDefinitions(): ScalarDefinition[] {
    return this._schema.getScalarDefinitions(this.definition);
  }

  getDefinitionsOfType(type: DefinitionType): Definition[] {
    return this._schema.getDefinitionsOfType(this.definition, type);
  }
}

const NO_CONTEXT: string[] = [];
const extended = new WeakMap<string[], Map<Definition, string[]>>();

/** The parent's contexts, then the definition's own that the parent lacks (compared case-insensitively). */
function withReaderContext(inherited: string[], definition: Definition): string[] {
  let byDefinition = extended.get(inherited);
  if (!byDefinition) extended.set(inherited, (byDefinition = new Map()));
  let contexts = byDefinition.get(definition);
  if (!contexts) {
    const seen = new Set(inherited.map((c) => c.toUpperCase()));
    contexts = [...inherited];
    for (const context of definition.readerContext) {
      const upper = context.toUpperCase();
      if (seen.has(upper)) continue;
      contexts.push(context);
      seen.add(upper);
    }
    byDefinition.set(definition, contexts);
  }
  return contexts;
}
