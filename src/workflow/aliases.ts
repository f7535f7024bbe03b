import { Alias, isAlias, isCollection, isNode, isPair, type Document, type Node as YamlNode } from 'yaml';

/**
 * Resolves every alias of `doc` once, in document order, and pins its target on it; returns the
 * aliases. yaml's `Alias.resolve(doc)` walks the whole document on every call, and the model and the
 * schema validator call it for each alias they expand: a 300-line chain of aliases took 20 s.
 * Like yaml, an alias names the last node with its anchor before it.
 */
export function pinAliasTargets(doc: Document): Alias[] {
  const anchored = new Map<string, YamlNode>();
  const aliases: Alias[] = [];
  const pending: unknown[] = [doc.contents];
  while (pending.length > 0) {
    const node = pending.pop();
    if (isPair(node)) {
      pending.push(node.value, node.key);
    } else if (isAlias(node)) {
      pin(node, anchored.get(node.source));
      aliases.push(node);
    } else if (isNode(node)) {
      if (node.anchor) anchored.set(node.anchor, node);
      if (isCollection(node)) for (let i = node.items.length - 1; i >= 0; i--) pending.push(node.items[i]);
    }
  }
  return aliases;
}

function pin(alias: Alias, target: YamlNode | undefined): void {
  const resolve = Alias.prototype.resolve;
  // With a context (toJS), yaml also counts alias uses against its own limit: keep that path.
  const pinned: Alias['resolve'] = (doc, ctx) =>
    ctx ? resolve.call(alias, doc, ctx) : (target as ReturnType<Alias['resolve']>);
  Object.defineProperty(alias, 'resolve', { value: pinned });
}

export interface ExpansionLimits {
  maxExpandedNodes: number;
  maxDepth: number;
}

export interface ExpansionProblem {
  message: string;
  /** The alias to blame. */
  at: YamlNode;
}

/** Expanded size of a node: nodes, and levels of mappings and sequences. */
interface Size {
  nodes: number;
  levels: number;
}

/**
 * Whether the document, with every alias expanded, has more nodes or deeper nesting than the limits
 * allow (an "alias bomb"; a node that holds an alias to itself expands forever). Each node is
 * measured once; the walk recurses at most `maxDepth` levels.
 */
export function aliasExpansionProblem(
  doc: Document,
  aliases: Alias[],
  limits: ExpansionLimits,
): ExpansionProblem | undefined {
  if (aliases.length === 0) return undefined;
  const measured = new Map<YamlNode, Size>();
  const UNFINISHED: Size = { nodes: Infinity, levels: 0 };
  let tooDeep: YamlNode | undefined;
  const measure = (node: unknown, depth: number, via: Alias | undefined): Size => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      return target ? measure(target, depth, via ?? node) : { nodes: 1, levels: 0 };
    }
    if (!isCollection(node)) return { nodes: 1, levels: 0 };
    const known = measured.get(node);
    if (known) {
      if (depth + known.levels > limits.maxDepth) tooDeep = via ?? node;
      return known;
    }
    if (depth >= limits.maxDepth) {
      tooDeep = via ?? node;
      return { nodes: 1, levels: 1 };
    }
    measured.set(node, UNFINISHED);
    const size: Size = { nodes: 1, levels: 1 };
    for (const item of node.items) {
      for (const child of isPair(item) ? [item.key, item.value] : [item]) {
        const inner = measure(child, depth + 1, via);
        size.nodes += inner.nodes;
        size.levels = Math.max(size.levels, inner.levels + 1);
        if (tooDeep || size.nodes > limits.maxExpandedNodes) return size;
      }
    }
    measured.set(node, size);
    return size;
  };
  const total = measure(doc.contents, 0, undefined);
  if (tooDeep) {
    const depth = `${limits.maxDepth} levels of mappings and sequences`;
    return { message: `YAML aliases nest this document deeper than ${depth}; it was not linted.`, at: tooDeep };
  }
  if (total.nodes > limits.maxExpandedNodes) {
    const nodes = limits.maxExpandedNodes.toLocaleString('en-US');
    return {
      message: `YAML aliases expand this document past ${nodes} nodes (an alias bomb?); it was not linted.`,
      at: aliases[0],
    };
  }
  return undefined;
}
