import type { ObjectReader } from '@actions/workflow-parser/templates/object-reader';
import { EventType, ParseEvent } from '@actions/workflow-parser/templates/parse-event';
import {
  MappingToken,
  SequenceToken,
  StringToken,
  type LiteralToken,
} from '@actions/workflow-parser/templates/tokens/index';
import type { TokenRange } from '@actions/workflow-parser/templates/tokens/token-range';
import { YamlObjectReader } from '@actions/workflow-parser/workflows/yaml-object-reader';
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type Pair,
  type Scalar,
} from 'yaml';

/** The parser's own scalar-to-token conversion (private static), so that literal tokens are exactly its. */
const literalToken = (
  YamlObjectReader as unknown as {
    getLiteralToken(fileId: number, range: TokenRange | undefined, node: Scalar): LiteralToken;
  }
).getLiteralToken;

/** A node to visit, with the anchors being expanded on its path (an alias cycle is skipped), or an event to emit. */
type Work = { node: Node | Pair | null | undefined; expanding: ReadonlySet<Node> } | ParseEvent;

/**
 * The events GitHub's template reader consumes, for a document wf-lint already parsed: the same
 * events and tokens as @actions/workflow-parser's YamlObjectReader, which yields them through one
 * generator per nesting level (each event passes through every level above it: the largest cost of
 * validation) and recurses (a deep document overflows the stack). This walks once, with a stack.
 */
export class DocumentReader implements ObjectReader {
  private readonly events: ParseEvent[] = [];
  private next = 0;

  /** Reads `root` (the whole document by default) as if it were the document's only content. */
  constructor(doc: Document, lineCounter: LineCounter, fileId: number, root: Node | null | undefined = doc.contents) {
    const range = (node: { range?: [number, number, number?] | null } | null | undefined): TokenRange | undefined => {
      const r = node?.range;
      if (!r) return undefined;
      const start = lineCounter.linePos(r[0]);
      const end = lineCounter.linePos(r[1]);
      return { start: { line: start.line, column: start.col }, end: { line: end.line, column: end.col } };
    };
    const { events } = this;
    events.push(new ParseEvent(EventType.DocumentStart));
    const work: Work[] = [{ node: root, expanding: new Set() }];
    for (let item = work.pop(); item !== undefined; item = work.pop()) {
      if (item instanceof ParseEvent) {
        events.push(item);
        continue;
      }
      const { node, expanding } = item;
      if (isSeq(node) || isMap(node)) {
        const seq = isSeq(node);
        events.push(
          seq
            ? new ParseEvent(EventType.SequenceStart, new SequenceToken(fileId, range(node), undefined))
            : new ParseEvent(EventType.MappingStart, new MappingToken(fileId, range(node), undefined)),
        );
        work.push(new ParseEvent(seq ? EventType.SequenceEnd : EventType.MappingEnd));
        for (let i = node.items.length - 1; i >= 0; i--) work.push({ node: node.items[i] as Node | Pair, expanding });
      } else if (isScalar(node)) {
        events.push(new ParseEvent(EventType.Literal, literalToken(fileId, range(node), node)));
      } else if (isAlias(node)) {
        const target = node.resolve(doc);
        if (target && !expanding.has(target)) work.push({ node: target, expanding: new Set([...expanding, target]) });
      } else if (isPair(node)) {
        const key = node.key as Scalar | null;
        events.push(
          new ParseEvent(EventType.Literal, new StringToken(fileId, range(key), key?.value as string, undefined)),
        );
        work.push({ node: node.value as Node | null, expanding });
      }
    }
    events.push(new ParseEvent(EventType.DocumentEnd));
  }

  private take(type: EventType): ParseEvent | undefined {
    const event = this.events[this.next];
    if (event?.type !== type) return undefined;
    this.next++;
    return event;
  }

  allowLiteral() {
    return this.take(EventType.Literal)?.token as LiteralToken | undefined;
  }
  allowSequenceStart() {
    return this.take(EventType.SequenceStart)?.token as SequenceToken | undefined;
  }
  allowSequenceEnd() {
    return this.take(EventType.SequenceEnd) !== undefined;
  }
  allowMappingStart() {
    return this.take(EventType.MappingStart)?.token as MappingToken | undefined;
  }
  allowMappingEnd() {
    return this.take(EventType.MappingEnd) !== undefined;
  }
  validateStart() {
    if (!this.take(EventType.DocumentStart)) throw new Error('Expected start of reader');
  }
  validateEnd() {
    if (!this.take(EventType.DocumentEnd)) throw new Error('Expected end of reader');
  }
}
