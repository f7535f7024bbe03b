// Prints a seeded random sample of findings from a wf-lint JSON report, each with its source line,
// for hand-checking precision:  node scripts/sample-findings.mjs report.json RULE[,RULE] [N] [SEED]
import { readFileSync } from 'node:fs';

const [reportPath, ruleList, count = '30', seedArg = '1'] = process.argv.slice(2);
if (!reportPath || !ruleList) {
  console.error('usage: node scripts/sample-findings.mjs report.json RULE[,RULE] [N] [SEED]');
  process.exit(2);
}
const rules = new Set(ruleList.split(','));
const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const pool = report.files.flatMap((f) =>
  f.findings.filter((x) => rules.has(x.rule)).map((x) => ({ file: f.file, ...x })),
);

// Park-Miller: the same seed gives the same sample.
let seed = Number(seedArg) || 1;
const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
const picked = new Set();
while (picked.size < Math.min(Number(count), pool.length)) picked.add(Math.floor(random() * pool.length));

const counts = {};
for (const f of pool) counts[`${f.rule} ${f.level}`] = (counts[`${f.rule} ${f.level}`] ?? 0) + 1;
console.log(`${pool.length} findings: ${JSON.stringify(counts)}\n`);
let n = 0;
for (const i of [...picked].sort((a, b) => a - b)) {
  const f = pool[i];
  const line = readFileSync(f.file, 'utf8').split(/\r?\n/)[f.start.line - 1] ?? '';
  console.log(`${++n}. ${f.file}:${f.start.line}:${f.start.column} ${f.rule} ${f.level}`);
  console.log(`   | ${line.trim().slice(0, 200)}`);
  console.log(`   > ${f.message.slice(0, 400)}\n`);
}
