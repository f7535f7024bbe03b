import type { Language, Tree } from 'web-tree-sitter';

/**
 * A node of a parsed script, copied out of tree-sitter's tree in one walk with a TreeCursor. Reading a
 * web-tree-sitter Node's children, type or text calls into WASM each time, and the script model reads
 * them many times over; these are plain objects, so the tree can also be kept for the next script
 * with the same text.
 */
export class SyntaxNode {
  readonly namedChildren: readonly SyntaxNode[];

  constructor(
    readonly type: string,
    readonly isNamed: boolean,
    readonly startIndex: number,
    readonly endIndex: number,
    /** The field this node fills in its parent (`name`, `value`, `body`…), if any. */
    readonly field: string | undefined,
    readonly children: readonly SyntaxNode[],
    /** The text that was parsed. */
    private readonly source: string,
  ) {
    const named = children.filter((c) => c.isNamed);
    this.namedChildren = named.length === children.length ? children : named;
  }

  get text(): string {
    return this.source.slice(this.startIndex, this.endIndex);
  }

  child(index: number): SyntaxNode | undefined {
    return this.children[index];
  }

  namedChild(index: number): SyntaxNode | undefined {
    return this.namedChildren[index];
  }

  /** The first child in the field `name` (read only for the node types copyTree was given). */
  childForFieldName(name: string): SyntaxNode | undefined {
    return this.children.find((c) => c.field === name);
  }
}

/** Whether each node type of a language is named, by type id: asking the cursor is a call into WASM per node. */
const namedTypes = new WeakMap<Language, boolean[]>();

function namedTypesOf(language: Language): boolean[] {
  let named = namedTypes.get(language);
  if (!named) {
    named = language.types.map((_, id) => language.nodeTypeIsNamed(id));
    namedTypes.set(language, named);
  }
  return named;
}

/**
 * Copies a tree parsed from `source`. Fields are read only for the children of node types in
 * `withFields` (another call into WASM per node): childForFieldName finds nothing on the others.
 */
export function copyTree(tree: Tree, source: string, withFields: ReadonlySet<string>): SyntaxNode {
  const cursor = tree.walk();
  const { language } = tree;
  const { types, fields } = language;
  const named = namedTypesOf(language);
  const copy = (parentHasFields: boolean): SyntaxNode => {
    const typeId = cursor.nodeTypeId;
    const type = types[typeId] || 'ERROR'; // as web-tree-sitter names a type id it does not know (ERROR's)
    const field = parentHasFields ? (fields[cursor.currentFieldId] ?? undefined) : undefined;
    const startIndex = cursor.startIndex;
    const endIndex = cursor.endIndex;
    const children: SyntaxNode[] = [];
    if (cursor.gotoFirstChild()) {
      const hasFields = withFields.has(type);
      do children.push(copy(hasFields));
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
    const isNamed = named[typeId] ?? language.nodeTypeIsNamed(typeId);
    return new SyntaxNode(type, isNamed, startIndex, endIndex, field, children, source);
  };
  try {
    return copy(false);
  } finally {
    cursor.delete();
  }
}
