import fc from 'fast-check';

/**
 * Damage done to a workflow file, the way editors, merges, copy-paste and disks do it. Positions are
 * millionths of the file (or of its lines), so that shrinking moves them towards the start.
 */
export type Mutation =
  | { kind: 'delete-lines'; at: number; count: number }
  | { kind: 'duplicate-lines'; at: number; count: number; to: number }
  | { kind: 'reindent'; at: number; count: number; by: number; tab: boolean }
  | { kind: 'truncate'; at: number }
  | { kind: 'garbage'; at: number; bytes: number[]; overwrite: boolean }
  | { kind: 'nest'; at: number; depth: number; style: 'flow-seq' | 'flow-map' | 'block' }
  | { kind: 'long-line'; at: number; piece: string; length: number };

const position = fc.integer({ min: 0, max: 999_999 });

/** Bytes that mean something to YAML, to UTF-8 decoding or to line splitting, and random ones. */
const garbageByte = fc.oneof(
  fc.constantFrom(
    0x00,
    0x09,
    0x0a,
    0x0d,
    0x22,
    0x23,
    0x26,
    0x27,
    0x2a,
    0x2d,
    0x3a,
    0x3e,
    0x5b,
    0x7b,
    0x7c,
    0x7d,
    0x5d,
    0x24,
    0x5c,
  ),
  fc.constantFrom(0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf8, 0xfe, 0xff),
  fc.integer({ min: 0, max: 255 }),
);

/** What a long line is made of (up to 80,000 characters, past the script length limit): plain text, words, shell variables, expressions, quotes, escapes. */
const longLinePiece = fc.constantFrom(
  'x',
  ' word',
  ' $VAR',
  ' ${{ secrets.TOKEN }}',
  ' "q"',
  "'",
  '\\',
  ' && aws ssm get-parameter --name p',
  ' #',
  ': ',
  '- ',
  '\t',
);

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete-lines' as const), at: position, count: fc.integer({ min: 1, max: 8 }) }),
  fc.record({
    kind: fc.constant('duplicate-lines' as const),
    at: position,
    count: fc.integer({ min: 1, max: 12 }),
    to: position,
  }),
  fc.record({
    kind: fc.constant('reindent' as const),
    at: position,
    count: fc.integer({ min: 1, max: 6 }),
    by: fc.integer({ min: -6, max: 6 }),
    tab: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
  fc.record({
    kind: fc.constant('garbage' as const),
    at: position,
    bytes: fc.array(garbageByte, { minLength: 1, maxLength: 12 }),
    overwrite: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('nest' as const),
    at: position,
    depth: fc.integer({ min: 1, max: 120 }),
    style: fc.constantFrom('flow-seq' as const, 'flow-map' as const, 'block' as const),
  }),
  fc.record({
    kind: fc.constant('long-line' as const),
    at: position,
    piece: longLinePiece,
    length: fc.integer({ min: 100, max: 80_000 }),
  }),
);

/** A seed file and what is done to it. */
export interface MutatedInput {
  seed: number;
  mutations: Mutation[];
}

export function mutatedInput(seedCount: number, maxMutations = 4, minMutations = 1): fc.Arbitrary<MutatedInput> {
  return fc.record({
    seed: fc.integer({ min: 0, max: seedCount - 1 }),
    mutations: fc.array(mutation, { minLength: minMutations, maxLength: maxMutations }),
  });
}

export function applyMutations(bytes: Buffer, mutations: Mutation[]): Buffer {
  return mutations.reduce(applyMutation, bytes);
}

const NEWLINE = 0x0a;

/** The file as lines, each with its `\n` (the last may lack one). */
function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, start)) {
    lines.push(bytes.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < bytes.length) lines.push(bytes.subarray(start));
  return lines;
}

const scaled = (at: number, length: number) => Math.floor((at / 1_000_000) * length);
const indentOf = (line: Buffer) => {
  let n = 0;
  while (line[n] === 0x20) n++;
  return n;
};

function applyMutation(bytes: Buffer, m: Mutation): Buffer {
  const lines = splitLines(bytes);
  const line = scaled(m.at, lines.length);
  const offset = scaled(m.at, bytes.length);
  switch (m.kind) {
    case 'delete-lines':
      lines.splice(line, m.count);
      return Buffer.concat(lines);
    case 'duplicate-lines': {
      const copied = lines
        .slice(line, line + m.count)
        .map((l) => (l.at(-1) === NEWLINE ? l : Buffer.concat([l, Buffer.from('\n')])));
      lines.splice(scaled(m.to, lines.length + 1), 0, ...copied);
      return Buffer.concat(lines);
    }
    case 'reindent':
      for (let i = line; i < Math.min(lines.length, line + m.count); i++) {
        const indent = indentOf(lines[i]);
        const rest = lines[i].subarray(indent);
        const width = Math.max(0, indent + m.by);
        lines[i] = Buffer.concat([Buffer.from(m.tab ? '\t'.repeat(Math.ceil(width / 4)) : ' '.repeat(width)), rest]);
      }
      return Buffer.concat(lines);
    case 'truncate':
      return bytes.subarray(0, offset);
    case 'garbage': {
      const garbage = Buffer.from(m.bytes);
      return Buffer.concat([
        bytes.subarray(0, offset),
        garbage,
        bytes.subarray(m.overwrite ? offset + garbage.length : offset),
      ]);
    }
    case 'nest': {
      if (m.style === 'block') {
        // Keys nested one level per line, under the chosen line, then the line itself at the bottom.
        const base = lines[line] ? indentOf(lines[line]) : 0;
        const keys = Array.from({ length: m.depth }, (_, i) => `${' '.repeat(base + 2 * i)}k${i}:\n`).join('');
        lines.splice(line, 0, Buffer.from(keys));
        if (lines[line + 1]) lines[line + 1] = Buffer.concat([Buffer.from(' '.repeat(2 * m.depth)), lines[line + 1]]);
        return Buffer.concat(lines);
      }
      const [open, close] = m.style === 'flow-seq' ? ['[', ']'] : ['{a: ', '}'];
      // Balanced nesting wrapped around the rest of the line, so the file may stay valid YAML.
      const end = bytes.indexOf(NEWLINE, offset);
      const stop = end < 0 ? bytes.length : end;
      return Buffer.concat([
        bytes.subarray(0, offset),
        Buffer.from(open.repeat(m.depth)),
        bytes.subarray(offset, stop),
        Buffer.from(close.repeat(m.depth)),
        bytes.subarray(stop),
      ]);
    }
    case 'long-line':
      return Buffer.concat([
        bytes.subarray(0, offset),
        Buffer.from(m.piece.repeat(Math.ceil(m.length / m.piece.length)).slice(0, m.length)),
        bytes.subarray(offset),
      ]);
  }
}
