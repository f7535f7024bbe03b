/** The little of Markdown the docs checks need: headings, fenced blocks and links, each with its line. */

export interface Heading {
  level: number;
  text: string;
  /** 1-based. */
  line: number;
}

export interface FencedBlock {
  /** The info string after the opening fence: `yaml lint`. */
  info: string;
  /** 1-based line of the block's first line of content. */
  line: number;
  /** The content, each line ending in a newline. */
  text: string;
}

export interface Link {
  target: string;
  line: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** A line and its part in the document: prose, or the opening fence, content or closing fence of a code block. */
interface Line {
  text: string;
  kind: 'prose' | 'open' | 'code' | 'close';
  /** For an opening fence: its info string. */
  info?: string;
}

function classify(markdown: string): Line[] {
  let open: string | undefined;
  return markdown.split('\n').map((text): Line => {
    const fence = FENCE.exec(text);
    if (open === undefined) {
      if (!fence) return { text, kind: 'prose' };
      open = fence[1];
      return { text, kind: 'open', info: fence[2].trim() };
    }
    if (fence && fence[1].startsWith(open) && fence[2].trim() === '') {
      open = undefined;
      return { text, kind: 'close' };
    }
    return { text, kind: 'code' };
  });
}

export function headings(markdown: string): Heading[] {
  return classify(markdown).flatMap(({ text, kind }, i) => {
    const m = kind === 'prose' ? /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(text) : null;
    return m ? [{ level: m[1].length, text: m[2], line: i + 1 }] : [];
  });
}

export function fencedBlocks(markdown: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  classify(markdown).forEach(({ text, kind, info }, i) => {
    if (kind === 'open') blocks.push({ info: info!, line: i + 2, text: '' });
    if (kind === 'code') blocks[blocks.length - 1].text += `${text}\n`;
  });
  return blocks;
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens. */
export function anchorOf(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** Every anchor of a document, numbered like GitHub's when a heading repeats (`-1`, `-2`). */
export function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  return new Set(
    headings(markdown).map(({ text }) => {
      const anchor = anchorOf(text);
      const n = seen.get(anchor) ?? 0;
      seen.set(anchor, n + 1);
      return n === 0 ? anchor : `${anchor}-${n}`;
    }),
  );
}

/** Links written `[text](target)` outside code: inline code spans and fenced blocks are skipped. */
export function links(markdown: string): Link[] {
  return classify(markdown).flatMap(({ text, kind }, i) => {
    if (kind !== 'prose') return [];
    const prose = text.replace(/`[^`]*`/g, '');
    return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ({ target: m[1], line: i + 1 }));
  });
}
