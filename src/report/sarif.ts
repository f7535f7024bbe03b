import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import type * as Sarif from 'sarif';
import { LEVELS, type FileResult, type Level, type Range, type ReportedFinding } from '../findings.js';
import type { ReportContext, Reporter, RuleDescriptor } from './types.js';

/** GitHub code scanning rejects runs with more results than this. */
export const MAX_RESULTS_PER_RUN = 25_000;

/** GitHub code scanning rejects uploads over 10 MB gzipped; measured on the text as written (pretty-printed). */
export const MAX_GZIPPED_BYTES = 10_000_000;

const SRCROOT = '%SRCROOT%';

/** Code scanning's `problem.severity` for results without a security-severity. */
const PROBLEM_SEVERITY: Record<Level, string> = { error: 'error', warning: 'warning', note: 'recommendation' };

function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}

function toReportingDescriptor(rule: RuleDescriptor): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.summary },
    fullDescription: { text: rule.description },
    help: { text: `${rule.description}\n\nDocumentation: ${rule.helpUri}`, markdown: rule.helpMarkdown },
    helpUri: rule.helpUri,
    defaultConfiguration: { level: rule.level },
    properties: {
      tags: [...rule.tags],
      precision: rule.precision,
      // Code scanning reads security-severity only as a string holding a number.
      'security-severity': rule.securitySeverity.toFixed(1),
      'problem.severity': PROBLEM_SEVERITY[rule.level],
    },
  };
}

function srcRootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/** FileResult paths are relative to the working directory; SARIF wants them relative to the root. */
function toArtifactLocation(filePath: string, root: string): Sarif.ArtifactLocation {
  const absolute = path.resolve(filePath);
  const relative = path.relative(root, absolute);
  if (relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
    return { uri: pathToFileURL(absolute).href };
  }
  return { uri: relative.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

/** SARIF regions must not be empty, so a zero-width range covers one column. */
function toRegion({ start, end }: Range): Sarif.Region {
  const isEmpty = start.line === end.line && start.column === end.column;
  return {
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    endColumn: isEmpty ? end.column + 1 : end.column,
  };
}

function toResult(
  finding: ReportedFinding,
  artifactLocation: Sarif.ArtifactLocation,
  ruleIndexes: Map<string, number>,
): Sarif.Result {
  const result: Sarif.Result = {
    ruleId: finding.ruleId,
    ruleIndex: ruleIndexes.get(finding.ruleId),
    level: finding.level,
    // Viewers that render Markdown show the explanation, which stands alone, instead of the first line.
    message: finding.detail ? { text: finding.message, markdown: finding.detail } : { text: finding.message },
    locations: [{ physicalLocation: { artifactLocation, region: toRegion(finding.range) } }],
  };
  if (finding.fingerprint !== undefined) result.partialFingerprints = { primaryLocationLineHash: finding.fingerprint };
  if (finding.related?.length) {
    result.relatedLocations = finding.related.map((related, index) => ({
      id: index + 1,
      physicalLocation: { artifactLocation, region: toRegion(related.range) },
      message: { text: related.message },
    }));
  }
  if (finding.fix) result.properties = { fixAvailable: true, fixKind: finding.fix.kind };
  return result;
}

function toResults(results: FileResult[], context: ReportContext, root: string): Sarif.Result[] {
  const ruleIndexes = new Map(context.rules.map((rule, index) => [rule.id, index]));
  return results
    .filter((file) => file.findings.length > 0)
    .flatMap((file) => {
      const artifactLocation = toArtifactLocation(file.path, root);
      return file.findings.map((finding) => toResult(finding, artifactLocation, ruleIndexes));
    });
}

function severityRank(result: Sarif.Result): number {
  return LEVELS.indexOf(result.level as Level);
}

/** The sort is stable, so results of one level keep their file order. */
function mostSevereFirst(results: Sarif.Result[]): Sarif.Result[] {
  return [...results].sort((a, b) => severityRank(b) - severityRank(a));
}

function omissionNotice(dropped: number, total: number, limit: string): string {
  const why = `GitHub code scanning accepts at most ${limit}, so only the most severe were kept`;
  return `${dropped} of ${total} results were left out: ${why}.`;
}

function toInvocation(notices: string[]): Sarif.Invocation {
  if (notices.length === 0) return { executionSuccessful: true };
  const toolExecutionNotifications = notices.map((text): Sarif.Notification => ({
    level: 'warning',
    message: { text },
  }));
  return { executionSuccessful: true, toolExecutionNotifications };
}

function toLog(results: Sarif.Result[], notices: string[], context: ReportContext, root: string): string {
  const log: Sarif.Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'wf-lint',
            version: context.toolVersion,
            semanticVersion: context.toolVersion,
            informationUri: context.informationUri,
            rules: context.rules.map(toReportingDescriptor),
          },
        },
        invocations: [toInvocation(notices)],
        originalUriBaseIds: { [SRCROOT]: { uri: srcRootUri(root) } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/**
 * SARIF 2.1.0 for GitHub code scanning: one run, every known rule, and as many results as code scanning
 * accepts (MAX_RESULTS_PER_RUN, `maxGzippedBytes`); beyond that the most severe are kept, and a
 * toolExecutionNotification says how many were left out.
 */
export function renderSarif(
  results: FileResult[],
  context: ReportContext,
  maxGzippedBytes = MAX_GZIPPED_BYTES,
): string {
  const root = path.resolve(context.root);
  const all = toResults(results, context, root);
  const notices: string[] = [];
  let kept = all;
  if (all.length > MAX_RESULTS_PER_RUN) {
    kept = mostSevereFirst(all).slice(0, MAX_RESULTS_PER_RUN);
    notices.push(omissionNotice(all.length - kept.length, all.length, `${MAX_RESULTS_PER_RUN} results per run`));
  }
  const withinCount = kept.length;
  let text = toLog(kept, notices, context, root);
  for (let size = gzipSync(text).length; size > maxGzippedBytes && kept.length > 0; size = gzipSync(text).length) {
    // Shrink in proportion to the excess, with a margin, so that one or two rounds usually suffice.
    const target = Math.min(kept.length - 1, Math.floor((kept.length * maxGzippedBytes * 0.95) / size));
    kept = mostSevereFirst(kept).slice(0, target);
    const sizeNotice = omissionNotice(
      withinCount - kept.length,
      all.length,
      `${maxGzippedBytes / 1_000_000} MB of gzipped SARIF`,
    );
    text = toLog(kept, [...notices, sizeNotice], context, root);
  }
  return text;
}

export const sarifReporter: Reporter = (results, context) => renderSarif(results, context);
