import type { Job, Step } from '../workflow/model.js';

/**
 * How GitHub names a workflow's jobs and steps in a run (the jobs API, the run page), from the YAML:
 * the importer of `wf-lint calibrate` matches recorded runs with these, and the lint looks measured
 * durations up by them.
 */

/**
 * A step's name in a run, as a template: its `name:` as written (expressions unevaluated), else
 * `Run <uses>`, else `Run <first non-blank line of the script>`.
 */
export function stepRunName(step: Step): string {
  if (step.name?.text) return step.name.text;
  if (step.uses?.text) return `Run ${step.uses.text.trim()}`;
  const firstLine = step.run?.text.split('\n').find((line) => line.trim() !== '');
  return `Run ${firstLine?.trim() ?? ''}`;
}

/** A job's name in a run, as a template: its `name:` as written, else its id. */
export function jobRunName(job: Job): string {
  return job.name?.text || job.id;
}

/** A template's `${{ … }}` parts evaluate to any text; the rest is literal. */
function templateSource(template: string): string {
  return template
    .split(/\$\{\{.*?\}\}/s)
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*?');
}

/**
 * Whether a recorded step name is the step named by `template`, spaces around them trimmed. A
 * `Run …` name that is the start of a longer script line matches it too, in case GitHub shortens
 * long lines (not documented either way).
 */
export function matchesStepName(template: string, recorded: string): boolean {
  const name = recorded.trim();
  if (new RegExp(`^${templateSource(template.trim())}$`, 's').test(name)) return true;
  const scriptLine = template.startsWith('Run ') && !template.includes('${{');
  return scriptLine && name.length >= MIN_SHORTENED && template.trim().startsWith(name);
}

/** The shortest `Run …` name taken for the start of a longer script line: shorter ones match too much. */
const MIN_SHORTENED = 20;

/** Whether a recorded job name is the job named by `template`, matrix values in parentheses allowed after it. */
export function matchesJobName(template: string, recorded: string): boolean {
  return new RegExp(`^${templateSource(template.trim())}(?: \\(.*\\))?$`, 's').test(recorded.trim());
}
