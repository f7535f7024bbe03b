import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Range } from '../findings.js';
import { dataEdges } from './dataflow.js';
import { buildTimeline, StepOrder } from './graph.js';
import { decodeWorkflow } from './load.js';
import type { Step } from './model.js';

const at = (r: Range) => ({ line: r.start.line, column: r.start.column, endLine: r.end.line, endColumn: r.end.column });

/** `--print-graph`: what wf-lint understood of a file, as JSON (jobs, steps, happens-before and data edges). */
export function printGraph(path: string, cwd: string): string {
  const loaded = decodeWorkflow(path, readFileSync(resolve(cwd, path)));
  const workflow = loaded.workflow;
  const jobs = (workflow?.jobs ?? []).map((job) => {
    const order = new StepOrder(buildTimeline(job));
    const steps = job.steps;
    const before = (a: Step, b: Step) => order.happensBefore(a, b);
    // Only the immediate edges: a -> b when nothing lies strictly between them.
    const happensBefore = steps.flatMap((a) =>
      steps.filter((b) => before(a, b) && !steps.some((c) => before(a, c) && before(c, b))).map((b) => [a.index, b.index]),
    );
    return {
      id: job.id,
      at: at(job.keyRange),
      needs: job.needs.map((n) => n.text),
      uses: job.uses?.text,
      items: job.items.map((item) =>
        item.kind === 'step'
          ? { kind: 'step', step: item.index }
          : item.kind === 'parallel'
            ? { kind: 'parallel', steps: item.steps.map((s) => s.index), at: at(item.range) }
            : item.kind === 'wait'
              ? { kind: 'wait', targets: item.targets.map((t) => t.text), at: at(item.range) }
              : item.kind === 'cancel'
                ? { kind: 'cancel', target: item.target?.text, at: at(item.range) }
                : { kind: 'wait-all', at: at(item.range) },
      ),
      steps: steps.map((s) => ({
        index: s.index,
        id: s.id?.text,
        label: s.label,
        uses: s.uses?.text,
        run: s.run !== undefined,
        background: s.background !== undefined ? s.background.text : undefined,
        parallelGroup: s.group ? job.items.indexOf(s.group) : undefined,
        at: at(s.range),
      })),
      happensBefore,
    };
  });
  const graph = {
    file: loaded.file.path,
    diagnostics: loaded.diagnostics.map((d) => ({ message: d.message, at: at(d.range) })),
    jobs,
    data: workflow ? dataEdges(workflow) : [],
  };
  return JSON.stringify(graph, null, 2) + '\n';
}
