import { DefinitionType } from '@actions/workflow-parser/templates/schema/definition-type';
import type { Definition } from '@actions/workflow-parser/templates/schema/definition';
import type { MappingDefinition } from '@actions/workflow-parser/templates/schema/mapping-definition';
import type { OneOfDefinition } from '@actions/workflow-parser/templates/schema/one-of-definition';
import type { SequenceDefinition } from '@actions/workflow-parser/templates/schema/sequence-definition';
import type { StringDefinition } from '@actions/workflow-parser/templates/schema/string-definition';
import type { TemplateSchema } from '@actions/workflow-parser/templates/schema/template-schema';
import { isMap, isScalar, isSeq, type Node } from 'yaml';

/** One step from a node to its child: a mapping key (with the key's node) or a sequence index. */
export interface PathSegment {
  key: string | number;
  /** The key's node, for mapping entries. */
  keyNode?: Node;
  /** The value under the key or at the index. */
  value: Node | null;
}

/**
 * The keys and indexes leading from `root` to the node at `offset`. `onKey` tells whether the offset
 * falls on the last segment's key rather than its value.
 */
export function pathAt(root: Node | null | undefined, offset: number): { path: PathSegment[]; onKey: boolean } {
  const path: PathSegment[] = [];
  let node = root;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => contains(p.key as Node, offset) || contains(p.value as Node, offset));
      if (!pair) break;
      const keyNode = pair.key as Node;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      path.push({ key, keyNode, value: pair.value as Node | null });
      if (contains(keyNode, offset)) return { path, onKey: true };
      node = pair.value as Node;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item as Node, offset));
      if (index < 0) break;
      path.push({ key: index, value: node.items[index] as Node });
      node = node.items[index] as Node;
    } else break;
  }
  return { path, onKey: false };
}

function contains(node: Node | null | undefined, offset: number): boolean {
  const r = node?.range;
  return !!r && r[0] <= offset && (offset < r[1] || (r[0] === r[1] && offset === r[0]));
}

/** The definitions a value may match, with one-of definitions expanded. */
export function expand(schema: TemplateSchema, names: string[]): Definition[] {
  const out: Definition[] = [];
  const visit = (name: string) => {
    const def = schema.getDefinition(name);
    if (def.definitionType === DefinitionType.OneOf) for (const member of (def as OneOfDefinition).oneOf) visit(member);
    else out.push(def);
  };
  for (const name of names) visit(name);
  return out;
}

/** The definitions of the value at the end of `path`, walking down from the definition `rootName`. */
export function definitionsAt(schema: TemplateSchema, rootName: string, path: PathSegment[]): Definition[] {
  let defs = expand(schema, [rootName]);
  for (const segment of path) {
    const next: string[] = [];
    for (const def of defs) {
      if (typeof segment.key === 'number' && def.definitionType === DefinitionType.Sequence) {
        next.push((def as SequenceDefinition).itemType);
      } else if (typeof segment.key === 'string' && def.definitionType === DefinitionType.Mapping) {
        const mapping = def as MappingDefinition;
        const property = mapping.properties[segment.key];
        if (property?.type) next.push(property.type);
        else if (mapping.looseValueType) next.push(mapping.looseValueType);
      }
    }
    defs = expand(schema, [...new Set(next)]);
  }
  return defs;
}

/** The keys a mapping at this place may have (empty when its keys are free). */
export function knownKeys(defs: Definition[]): string[] {
  const keys = new Set<string>();
  for (const def of defs) {
    if (def.definitionType === DefinitionType.Mapping)
      for (const key of Object.keys((def as MappingDefinition).properties)) keys.add(key);
  }
  return [...keys];
}

/** Each kind of value in words; strings that must be one of a set of constants are listed by allowedConstants. */
const SHAPE_WORDS: Partial<Record<DefinitionType, string>> = {
  [DefinitionType.Mapping]: 'a mapping',
  [DefinitionType.Sequence]: 'a list',
  [DefinitionType.String]: 'a string',
  [DefinitionType.Boolean]: 'true or false',
  [DefinitionType.Number]: 'a number',
  [DefinitionType.Null]: 'nothing',
};

/** Whether the value at this place may be a mapping, a list or a free scalar, in words. */
export function expectedShapes(defs: Definition[]): string[] {
  const shapes = new Set<string>();
  for (const def of defs) {
    const constant = def.definitionType === DefinitionType.String && (def as StringDefinition).constant;
    const words = SHAPE_WORDS[def.definitionType];
    if (words && !constant) shapes.add(words);
  }
  return [...shapes];
}

/** The constant strings allowed at this place (enumerations such as `permissions` levels). */
export function allowedConstants(defs: Definition[]): string[] {
  const constants = defs.flatMap((def) =>
    def.definitionType === DefinitionType.String && (def as StringDefinition).constant
      ? [(def as StringDefinition).constant]
      : [],
  );
  return [...new Set(constants)];
}
