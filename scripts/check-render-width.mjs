// Checks that the findings of a corpus read well in a 100-column terminal: the built CLI's stylish report,
// rendered at 100 columns, has no line of a finding wider than that, and no finding's first line (its
// `message` in the JSON report) is longer than 120 characters. Usage: node scripts/check-render-width.mjs DIR
// (.ci/run runs it over ../shared/corpus, which tests do not read; test/report/render-width.test.ts checks
// the fixtures the same way). Prints the figures; exits 1 on a line too wide, 2 when the CLI fails.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const COLUMNS = 100;
const FIRST_LINE_LIMIT = 120;

/**
 * Terminal columns, worked out independently of the reporter's own count: emoji and the CJK scripts take
 * two, combining marks none, anything else one.
 */
function columns(line) {
  let width = 0;
  for (const char of line) {
    if (/\p{M}/u.test(char)) continue;
    width += /[\p{Extended_Pictographic}\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}]/u.test(char) ? 2 : 1;
  }
  return width;
}

function run(args) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, COLUMNS: String(COLUMNS), NO_COLOR: '1' },
  });
  // Exit 1 means findings; 2 is also what a corpus with unreadable or broken files gives, so only a
  // report that is missing counts as a failure to run.
  if (r.error || r.stdout === '' || (r.status !== 0 && r.status !== 1 && r.status !== 2)) {
    throw new Error(`wf-lint ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`);
  }
  return r.stdout;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function main() {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node scripts/check-render-width.mjs DIR');
    return 2;
  }
  const report = JSON.parse(run(['--format', 'json', dir]));
  const messages = report.files.flatMap((file) => file.findings.map((f) => ({ file: file.file, ...f })));
  const lengths = messages.map((m) => m.message.length);
  const problems = messages
    .filter((m) => m.message.length > FIRST_LINE_LIMIT)
    .map((m) => `${m.file}:${m.start.line}:${m.start.column}: first line of ${m.message.length} characters`);
  // Lines of findings are indented; file paths (not wrapped) and the summary are not.
  const lines = run([dir])
    .split('\n')
    .filter((line) => line.startsWith('  '));
  const widest = Math.max(0, ...lines.map(columns));
  for (const line of lines.filter((l) => columns(l) > COLUMNS)) problems.push(`wider than ${COLUMNS}: ${line}`);
  console.log(
    `${messages.length} findings; first line median ${median(lengths)}, max ${Math.max(0, ...lengths)} ` +
      `characters; widest line of the report at ${COLUMNS} columns: ${widest}`,
  );
  for (const problem of problems) console.log(problem);
  return problems.length > 0 ? 1 : 0;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`check-render-width: ${error.message}`);
  process.exitCode = 2;
}
