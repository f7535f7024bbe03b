// Preloaded into each timed wf-lint process by bench/bench.mjs (`node --import <this file> dist/cli.js ...`).
// When the process exits it writes its own peak resident set size, in KiB, to the file named by
// WF_BENCH_RSS_FILE. process.resourceUsage().maxRSS is getrusage(RUSAGE_SELF).ru_maxrss: the kernel's
// high-water mark for the whole process (every thread, so worker threads count too), read after the last
// allocation, so nothing is missed the way polling /proc/<pid>/status from outside would miss the end.
import { writeFileSync } from 'node:fs';

const out = process.env.WF_BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS)));
}
