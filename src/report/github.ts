import type { Level, ReportedFinding } from '../findings.js';
import type { Reporter } from './types.js';

const COMMANDS: Record<Level, string> = { error: 'error', warning: 'warning', note: 'notice' };

/** Escaping for a workflow command's message, as @actions/core's command.ts does it. */
function escapeData(value: string): string {
  return value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping for a workflow command's property values, which also end at `,` and `::`. */
function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(path: string, finding: ReportedFinding): string {
  const { start, end } = finding.range;
  const properties = {
    file: path,
    line: start.line,
    col: start.column,
    endLine: end.line,
    endColumn: end.column,
    // The annotation's heading is the rule and the first line, its body the explanation; with none, the
    // first line is the body.
    title: finding.detail ? `${finding.ruleId}: ${finding.message}` : finding.ruleId,
  };
  const propertyList = Object.entries(properties)
    .map(([name, value]) => `${name}=${escapeProperty(String(value))}`)
    .join(',');
  return `::${COMMANDS[finding.level]} ${propertyList}::${escapeData(finding.detail ?? finding.message)}`;
}

/** GitHub Actions workflow commands, which the runner turns into annotations on the run and the pull request. */
export const githubReporter: Reporter = (results) =>
  results.flatMap((result) => result.findings.map((finding) => `${annotation(result.path, finding)}\n`)).join('');
