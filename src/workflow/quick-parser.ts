import type { CST } from 'yaml';
import { decline, type LexemeSink, type TokenType } from './quick-lexer.js';

type Collection = CST.BlockMap | CST.BlockSequence | CST.FlowCollection;
type Open = CST.Document | Collection | CST.FlowScalar | CST.BlockScalar;
type MapItem = CST.BlockMap['items'][number];
type AnyItem = {
  start: CST.SourceToken[];
  key?: CST.Token | null;
  sep?: CST.SourceToken[];
  value?: CST.Token;
  explicitKey?: true;
};

/** yaml's Parser, as a plain state machine over the lexemes of the subset. */
export class QuickParser implements LexemeSink {
  readonly tokens: CST.Token[] = [];
  private readonly stack: Open[] = [];
  private indent = 0;
  private atNewLine = true;
  private onKeyLine = false;
  private type: TokenType = 'doc-mode';
  private offset = 0;
  private source = '';

  constructor(private readonly maxDepth: number) {}

  next(type: TokenType, offset: number, source: string): void {
    this.type = type;
    this.offset = offset;
    this.source = source;
    if (type === 'scalar') this.atNewLine = false;
    this.step();
    if (this.stack.length > this.maxDepth) decline();
    switch (type) {
      case 'newline':
        this.atNewLine = true;
        this.indent = 0;
        break;
      case 'space':
        if (this.atNewLine) this.indent += source.length;
        break;
      case 'map-value-ind':
      case 'seq-item-ind':
        if (this.atNewLine) this.indent += source.length;
        break;
      case 'doc-mode':
      case 'scalar':
        break;
      default:
        this.atNewLine = false;
    }
  }

  end(): void {
    while (this.stack.length > 0) this.pop();
  }

  private get sourceToken(): CST.SourceToken {
    return { type: this.type, offset: this.offset, indent: this.indent, source: this.source } as CST.SourceToken;
  }

  private peek(n: number): Open {
    return this.stack[this.stack.length - n];
  }

  private step(): void {
    const top = this.peek(1);
    if (!top) return this.stream();
    switch (top.type) {
      case 'document':
        return this.document(top);
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        return this.scalar(top);
      case 'block-scalar':
        return this.blockScalar(top);
      case 'block-map':
        return this.blockMap(top);
      case 'block-seq':
        return this.blockSequence(top);
      case 'flow-collection':
        return this.flowCollection(top);
    }
    decline();
  }

  private pop(): void {
    const token = this.stack.pop()!;
    if (this.stack.length === 0) {
      this.tokens.push(token);
      return;
    }
    const top = this.peek(1);
    if (token.type === 'block-scalar') token.indent = 'indent' in top ? top.indent : 0;
    else if (token.type === 'flow-collection' && top.type === 'document') token.indent = 0;
    if (token.type === 'flow-collection') fixFlowSeqItems(token);
    switch (top.type) {
      case 'document':
        top.value = token;
        break;
      case 'block-map': {
        const it = top.items[top.items.length - 1] as AnyItem;
        if (it.value) {
          top.items.push({ start: [], key: token, sep: [] });
          this.onKeyLine = true;
          return;
        } else if (it.sep) {
          it.value = token;
        } else {
          Object.assign(it, { key: token, sep: [] });
          this.onKeyLine = !it.explicitKey;
          return;
        }
        break;
      }
      case 'block-seq': {
        const it = top.items[top.items.length - 1];
        if (it.value) top.items.push({ start: [], value: token });
        else it.value = token;
        break;
      }
      case 'flow-collection': {
        const it = top.items[top.items.length - 1] as AnyItem | undefined;
        if (!it || it.value) top.items.push({ start: [], key: token, sep: [] });
        else if (it.sep) it.value = token;
        else Object.assign(it, { key: token, sep: [] });
        return;
      }
      default:
        return decline();
    }
    if (
      (top.type === 'document' || top.type === 'block-map' || top.type === 'block-seq') &&
      (token.type === 'block-map' || token.type === 'block-seq')
    ) {
      const last = token.items[token.items.length - 1] as AnyItem | undefined;
      if (
        last &&
        !last.sep &&
        !last.value &&
        last.start.length > 0 &&
        findNonEmptyIndex(last.start) === -1 &&
        (token.indent === 0 || last.start.every((st) => st.type !== 'comment' || st.indent < token.indent))
      ) {
        if (top.type === 'document') top.end = last.start;
        else top.items.push({ start: last.start });
        token.items.splice(-1, 1);
      }
    }
  }

  private stream(): void {
    switch (this.type) {
      case 'space':
      case 'comment':
      case 'newline':
        this.tokens.push(this.sourceToken);
        return;
      case 'doc-mode':
        this.stack.push({ type: 'document', offset: this.offset, start: [] });
        return;
    }
    decline();
  }

  private document(doc: CST.Document): void {
    if (doc.value) return this.lineEnd(doc);
    switch (this.type) {
      case 'doc-start':
        if (findNonEmptyIndex(doc.start) !== -1) return decline();
        doc.start.push(this.sourceToken);
        return;
      case 'space':
      case 'comment':
      case 'newline':
        doc.start.push(this.sourceToken);
        return;
    }
    const bv = this.startBlockValue(doc);
    if (!bv) return decline();
    this.stack.push(bv);
  }

  private scalar(scalar: CST.FlowScalar): void {
    if (this.type === 'map-value-ind') {
      const prev = getPrevProps(this.peek(2));
      const start = getFirstKeyStartProps(prev);
      let sep: CST.SourceToken[];
      if (scalar.end) {
        sep = scalar.end;
        sep.push(this.sourceToken);
        delete scalar.end;
      } else sep = [this.sourceToken];
      const map: CST.BlockMap = {
        type: 'block-map',
        offset: scalar.offset,
        indent: scalar.indent,
        items: [{ start, key: scalar, sep }],
      };
      this.onKeyLine = true;
      this.stack[this.stack.length - 1] = map;
    } else this.lineEnd(scalar);
  }

  private blockScalar(scalar: CST.BlockScalar): void {
    switch (this.type) {
      case 'space':
      case 'comment':
      case 'newline':
        scalar.props.push(this.sourceToken);
        return;
      case 'scalar':
        scalar.source = this.source;
        this.atNewLine = true;
        this.indent = 0;
        this.pop();
        return;
    }
    decline();
  }

  private blockMap(map: CST.BlockMap): void {
    const it = map.items[map.items.length - 1] as AnyItem;
    switch (this.type) {
      case 'newline':
        this.onKeyLine = false;
        if (it.value) {
          const end = 'end' in it.value ? it.value.end : undefined;
          const last = Array.isArray(end) ? end[end.length - 1] : undefined;
          if (last?.type === 'comment') end?.push(this.sourceToken);
          else map.items.push({ start: [this.sourceToken] });
        } else if (it.sep) it.sep.push(this.sourceToken);
        else it.start.push(this.sourceToken);
        return;
      case 'space':
      case 'comment':
        if (it.value) map.items.push({ start: [this.sourceToken] });
        else if (it.sep) it.sep.push(this.sourceToken);
        else if (!this.joinedIndentedComment(map.items as AnyItem[], map.indent)) it.start.push(this.sourceToken);
        return;
    }
    if (this.indent >= map.indent) {
      const atMapIndent = !this.onKeyLine && this.indent === map.indent;
      const atNextItem = atMapIndent && !!it.sep && this.type !== 'seq-item-ind';
      // For empty nodes, assign newline-separated not indented empty tokens to following node
      let start: CST.SourceToken[] = [];
      if (atNextItem && it.sep && !it.value) {
        const nl: number[] = [];
        for (let i = 0; i < it.sep.length; ++i) {
          const st = it.sep[i];
          switch (st.type) {
            case 'newline':
              nl.push(i);
              break;
            case 'space':
              break;
            case 'comment':
              if (st.indent > map.indent) nl.length = 0;
              break;
            default:
              nl.length = 0;
          }
        }
        if (nl.length >= 2) start = it.sep.splice(nl[1]);
      }
      switch (this.type) {
        case 'map-value-ind':
          if (!it.sep) Object.assign(it, { key: null, sep: [this.sourceToken] });
          else if (it.value || atNextItem) map.items.push({ start, key: null, sep: [this.sourceToken] });
          else if (includesToken(it.sep, 'map-value-ind')) {
            this.stack.push({
              type: 'block-map',
              offset: this.offset,
              indent: this.indent,
              items: [{ start: [], key: null, sep: [this.sourceToken] }],
            });
          } else it.sep.push(this.sourceToken);
          this.onKeyLine = true;
          return;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar': {
          const fs = this.flowScalar();
          if (atNextItem || it.value) {
            map.items.push({ start, key: fs, sep: [] });
            this.onKeyLine = true;
          } else if (it.sep) this.stack.push(fs);
          else {
            Object.assign(it, { key: fs, sep: [] });
            this.onKeyLine = true;
          }
          return;
        }
        default: {
          const bv = this.startBlockValue(map);
          if (bv) {
            if (bv.type === 'block-seq') {
              // "Unexpected block-seq-ind on same line with key": an error yaml reports
              if (!it.explicitKey && it.sep && !includesToken(it.sep, 'newline')) return decline();
            } else if (atMapIndent) map.items.push({ start } as MapItem);
            this.stack.push(bv);
            return;
          }
        }
      }
    }
    this.pop();
    this.step();
  }

  private blockSequence(seq: CST.BlockSequence): void {
    const it = seq.items[seq.items.length - 1];
    switch (this.type) {
      case 'newline':
        if (it.value) {
          const end = 'end' in it.value ? it.value.end : undefined;
          const last = Array.isArray(end) ? end[end.length - 1] : undefined;
          if (last?.type === 'comment') end?.push(this.sourceToken);
          else seq.items.push({ start: [this.sourceToken] });
        } else it.start.push(this.sourceToken);
        return;
      case 'space':
      case 'comment':
        if (it.value) seq.items.push({ start: [this.sourceToken] });
        else if (!this.joinedIndentedComment(seq.items, seq.indent)) it.start.push(this.sourceToken);
        return;
      case 'seq-item-ind':
        if (this.indent !== seq.indent) break;
        if (it.value || includesToken(it.start, 'seq-item-ind')) seq.items.push({ start: [this.sourceToken] });
        else it.start.push(this.sourceToken);
        return;
    }
    if (this.indent > seq.indent) {
      const bv = this.startBlockValue(seq);
      if (bv) {
        this.stack.push(bv);
        return;
      }
    }
    this.pop();
    this.step();
  }

  private flowCollection(fc: CST.FlowCollection): void {
    const it = fc.items[fc.items.length - 1] as AnyItem | undefined;
    if (fc.end.length === 0) {
      switch (this.type) {
        case 'comma':
          if (!it || it.sep) fc.items.push({ start: [this.sourceToken] });
          else it.start.push(this.sourceToken);
          return;
        case 'map-value-ind':
          if (!it || it.value) fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
          else if (it.sep) it.sep.push(this.sourceToken);
          else Object.assign(it, { key: null, sep: [this.sourceToken] });
          return;
        case 'space':
        case 'comment':
        case 'newline':
          if (!it || it.value) fc.items.push({ start: [this.sourceToken] });
          else if (it.sep) it.sep.push(this.sourceToken);
          else it.start.push(this.sourceToken);
          return;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar': {
          const fs = this.flowScalar();
          if (!it || it.value) fc.items.push({ start: [], key: fs, sep: [] });
          else if (it.sep) this.stack.push(fs);
          else Object.assign(it, { key: fs, sep: [] });
          return;
        }
        case 'flow-map-end':
        case 'flow-seq-end':
          fc.end.push(this.sourceToken);
          return;
      }
      const bv = this.startBlockValue(fc);
      if (!bv || bv.type !== 'flow-collection') return decline();
      this.stack.push(bv);
      return;
    }
    const parent = this.peek(2);
    // A flow collection as a mapping key, or a newline right after a key: cases the subset leaves to yaml.
    if (
      this.type === 'map-value-ind' ||
      (parent.type === 'block-map' &&
        this.type === 'newline' &&
        !(parent.items[parent.items.length - 1] as AnyItem).sep)
    )
      return decline();
    this.lineEnd(fc);
  }

  /** In a flow collection, a scalar's only parent is the collection (its value is popped into the item). */
  private flowScalar(): CST.FlowScalar {
    return { type: this.type, offset: this.offset, indent: this.indent, source: this.source } as CST.FlowScalar;
  }

  private startBlockValue(parent: Open): Open | null {
    switch (this.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        return this.flowScalar();
      case 'block-scalar-header':
        return {
          type: 'block-scalar',
          offset: this.offset,
          indent: this.indent,
          props: [this.sourceToken],
          source: '',
        };
      case 'flow-map-start':
      case 'flow-seq-start':
        return {
          type: 'flow-collection',
          offset: this.offset,
          indent: this.indent,
          start: this.sourceToken,
          items: [],
          end: [],
        };
      case 'seq-item-ind':
        return { type: 'block-seq', offset: this.offset, indent: this.indent, items: [{ start: [this.sourceToken] }] };
      case 'map-value-ind': {
        this.onKeyLine = true;
        const start = getFirstKeyStartProps(getPrevProps(parent));
        return {
          type: 'block-map',
          offset: this.offset,
          indent: this.indent,
          items: [{ start, key: null, sep: [this.sourceToken] }],
        };
      }
    }
    return null;
  }

  /**
   * A comment indented past its collection, after nothing but blank lines, joins the end of the
   * previous item's value (with those lines), and the empty item it started goes: yaml's rule.
   */
  private joinedIndentedComment(items: AnyItem[], indent: number): boolean {
    const it = items[items.length - 1];
    if (
      this.type !== 'comment' ||
      this.indent <= indent ||
      !it.start.every((st) => st.type === 'newline' || st.type === 'space')
    )
      return false;
    const end = (items[items.length - 2]?.value as { end?: CST.SourceToken[] } | undefined)?.end;
    if (!Array.isArray(end)) return false;
    end.push(...it.start, this.sourceToken);
    items.pop();
    return true;
  }

  private lineEnd(token: CST.Document | CST.FlowScalar | CST.FlowCollection): void {
    switch (this.type) {
      case 'comma':
      case 'doc-start':
      case 'flow-seq-end':
      case 'flow-map-end':
      case 'map-value-ind':
        this.pop();
        this.step();
        return;
      default:
        if (this.type === 'newline') this.onKeyLine = false;
        // space, comment and newline (all other tokens would be errors)
        if (token.end) token.end.push(this.sourceToken);
        else token.end = [this.sourceToken];
        if (this.type === 'newline') this.pop();
    }
  }
}

function includesToken(list: CST.SourceToken[], type: CST.SourceToken['type']): boolean {
  for (const token of list) if (token.type === type) return true;
  return false;
}

function findNonEmptyIndex(list: CST.SourceToken[]): number {
  for (let i = 0; i < list.length; ++i) {
    const type = list[i].type;
    if (type !== 'space' && type !== 'comment' && type !== 'newline') return i;
  }
  return -1;
}

function isFlowToken(token: CST.Token | null | undefined): token is CST.FlowScalar | CST.FlowCollection {
  switch (token?.type) {
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'flow-collection':
      return true;
    default:
      return false;
  }
}

function getPrevProps(parent: Open): CST.SourceToken[] {
  switch (parent.type) {
    case 'document':
      return parent.start;
    case 'block-map': {
      const it = parent.items[parent.items.length - 1] as AnyItem;
      return it.sep ?? it.start;
    }
    case 'block-seq':
      return parent.items[parent.items.length - 1].start;
    default:
      return [];
  }
}

/** Note: may modify input array */
function getFirstKeyStartProps(prev: CST.SourceToken[]): CST.SourceToken[] {
  if (prev.length === 0) return [];
  let i = prev.length;
  loop: while (--i >= 0) {
    switch (prev[i].type) {
      case 'doc-start':
      case 'explicit-key-ind':
      case 'map-value-ind':
      case 'seq-item-ind':
      case 'newline':
        break loop;
    }
  }
  while (prev[++i]?.type === 'space') {
    /* loop */
  }
  return prev.splice(i, prev.length);
}

function fixFlowSeqItems(fc: CST.FlowCollection): void {
  if (fc.start.type !== 'flow-seq-start') return;
  for (const item of fc.items) {
    const it = item as AnyItem;
    if (
      it.sep &&
      !it.value &&
      !includesToken(it.start, 'explicit-key-ind') &&
      !includesToken(it.sep, 'map-value-ind')
    ) {
      if (it.key) it.value = it.key;
      delete it.key;
      if (isFlowToken(it.value)) {
        if (it.value.end) it.value.end.push(...it.sep);
        else it.value.end = it.sep;
      } else it.start.push(...it.sep);
      delete it.sep;
    }
  }
}
