import type { WorkflowReport } from '../calibrate/match.js';

/**
 * What `wf-lint calibrate` did: the file it wrote, and per workflow the steps the runs matched and
 * those they did not.
 */
export interface CalibrationReport {
  output: string;
  /** Runs read that fit no workflow, by where they came from. */
  unassigned: string[];
  workflows: WorkflowReport[];
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${Math.floor((part / whole) * 1000) / 10}%`;
}

export function calibrationStylish(report: CalibrationReport): string {
  const lines: string[] = [];
  for (const w of report.workflows) {
    const matched = `${w.matched} of ${w.steps} steps matched (${percent(w.matched, w.steps)})`;
    lines.push(`${w.workflow}: ${w.runs} ${w.runs === 1 ? 'run' : 'runs'}, ${matched}`);
    for (const u of w.unmatched) lines.push(`  unmatched step  ${u.job}: '${u.step}' (in no run)`);
    for (const u of w.unknownSteps) lines.push(`  unknown step    ${u.job}: '${u.name}' (in ${u.runs} runs)`);
    for (const u of w.unknownJobs) lines.push(`  unknown job     '${u.name}' (in ${u.runs} runs)`);
  }
  for (const source of report.unassigned) lines.push(`${source}: fits no workflow; skipped`);
  lines.push(`wrote ${report.output}`);
  return lines.join('\n') + '\n';
}

export function calibrationJson(report: CalibrationReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}
