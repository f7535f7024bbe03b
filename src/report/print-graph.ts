import { Facts } from '../analysis/facts.js';
import type { Range } from '../findings.js';
import { dataEdges } from '../workflow/dataflow.js';
import { decodeWorkflow } from '../workflow/load.js';
import type { Step } from '../workflow/model.js';

const at = (r: Range) => ({ line: r.start.line, column: r.start.column, endLine: r.end.line, endColumn: r.end.column });

/** `--print-graph`: what wf-lint understood of a file, as JSON (jobs, steps, happens-before and data edges). */
export function printGraph(path: string, bytes: Uint8Array): string {
  const loaded = decodeWorkflow(path, bytes);
  const workflow = loaded.workflow;
  const facts = workflow && new Facts(workflow, loaded.diagnostics);
  const jobs = (workflow?.jobs ?? []).map((job) => {
    const order = facts!.order(job);
    const steps = job.steps;
    const before = (a: Step, b: Step) => order.happensBefore(a, b);
    // Only the immediate edges: a -> b when nothing lies strictly between them.
    const happensBefore = steps.flatMap((a) =>
      steps
        .filter((b) => before(a, b) && !steps.some((c) => before(a, c) && before(c, b)))
        .map((b) => [a.index, b.index]),
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
    data: facts ? dataEdges(facts.workflow, scriptEnvironment(facts)) : [],
  };
  return JSON.stringify(graph, null, 2) + '\n';
}

/** The data-flow view of the script analysis the rules use: `$GITHUB_ENV` writes and variables read. */
function scriptEnvironment(facts: Facts) {
  return {
    envWrites: (step: Step) => facts.flow(step).envWrites.flatMap((w) => (w.file === 'env' && w.name ? [w.name] : [])),
    varsRead: (step: Step) => {
      const script = facts.script(step);
      const words = (script?.commands ?? []).flatMap((c) => [
        ...c.args,
        ...(c.nameWord ? [c.nameWord] : []),
        ...c.redirects.flatMap((r) => (r.target ? [r.target] : [])),
      ]);
      const values = (script?.assignments ?? []).flatMap((a) => (a.value ? [a.value] : []));
      return new Set([...words, ...values].flatMap((w) => w.vars.map((v) => v.name)));
    },
  };
}
