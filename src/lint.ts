import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document } from 'yaml';
import type { CalledWorkflows } from './analysis/called-workflows.js';
import { Facts } from './analysis/facts.js';
import type { Config } from './config/config.js';
import { effectiveLevel } from './config/config.js';
import { applySuppressions, parseDirectives } from './config/suppressions.js';
import type { FileResult, Finding } from './findings.js';
import { withFingerprints } from './report/fingerprint.js';
import { directiveMetas } from './rules/directives.js';
import type { Rule } from './rules/rule.js';
import { decodeWorkflow, type LoadedFile } from './workflow/load.js';
import type { Workflow } from './workflow/model.js';

export interface LintOptions {
  config: Config;
  rules: readonly Rule[];
  reportUnusedDirectives?: boolean;
  /**
   * The local workflows that jobs call (`uses: ./.github/workflows/deploy.yml`), kept across the files
   * of a run; without it such calls are not followed. Whoever lints files from disk passes one that
   * reads them with readCalledWorkflow, and lists a folder's workflows (to find callers) with listWorkflowFolder.
   */
  calledWorkflows?: CalledWorkflows;
  /**
   * Called when a rule itself throws: a bug in wf-lint, which the CLI reports with exit code 2,
   * never as a finding. The other rules still run on the file.
   */
  onInternalError(ruleId: string, path: string, error: unknown): void;
}

/**
 * Lints files from disk for a report; a file that cannot be read is reported and skipped. A large run
 * holds every result until the report is written, so results keep only what reports show (a fix's
 * kind, not its edits: whole generated steps), copied: messages are built from slices of the file's
 * text, and V8 keeps the whole text in memory for each slice.
 */
export function lintFiles(files: { abs: string; path: string }[], options: LintOptions) {
  const results: FileResult[] = [];
  const unreadable: { path: string; reason: string }[] = [];
  for (const { abs, path } of files) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(abs);
    } catch (err) {
      unreadable.push({ path, reason: cannotRead(err) });
      continue;
    }
    const result = lintBytes(path, bytes, options);
    const findings = result.findings.map(({ fix, ...finding }) =>
      fix ? { ...finding, fix: { kind: fix.kind } } : finding,
    );
    results.push({ path: result.path, findings: structuredClone(findings) });
  }
  return { results, unreadable };
}

/**
 * A called workflow's bytes from disk; none when it is missing or cannot be read, and the call is
 * then not followed.
 */
export function readCalledWorkflow(path: string): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/**
 * The workflow files of a folder on disk (to find the workflows that call one); none when it cannot
 * be listed, and the callers are then unknown.
 */
export function listWorkflowFolder(folder: string): string[] | undefined {
  try {
    return readdirSync(folder)
      .filter((name) => /\.ya?ml$/i.test(name))
      .map((name) => join(folder, name));
  } catch {
    return undefined;
  }
}

/** Why a file could not be read, as the CLI reports it. */
export function cannotRead(err: unknown): string {
  return `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
}

export function lintBytes(path: string, bytes: Uint8Array, options: LintOptions): FileResult<Finding> {
  return lintLoaded(decodeWorkflow(path, bytes), options);
}

export function lintLoaded(loaded: LoadedFile, options: LintOptions): FileResult<Finding> {
  const { file } = loaded;
  // A file that is not a workflow still goes through the rules, as an empty one, so that
  // syntax-error reports its diagnostics the same way as any other finding.
  const workflow: Workflow = loaded.workflow ?? {
    file,
    doc: new Document(),
    triggers: [],
    env: [],
    jobs: [],
    entries: [],
  };
  const { settings, history } = options.config;
  const facts = new Facts(workflow, loaded.diagnostics, settings, options.calledWorkflows, history?.[file.path]);
  const findings: Finding[] = [];
  for (const rule of options.rules) {
    const level = effectiveLevel(options.config, rule.meta);
    if (level === 'off') continue;
    const configured = options.config.rules.get(rule.meta.id);
    const explicitLevel = configured && configured.level !== 'off' ? configured.level : undefined;
    try {
      rule.check({
        workflow,
        facts,
        settings: options.config.settings,
        report: (r) => {
          // As in ESLint: a fix of a kind the rule does not declare is a bug, so its metadata (the docs,
          // --list-rules, the ESLint plugin) can be trusted.
          if (r.fix && !rule.meta.fixable.includes(r.fix.kind))
            throw new Error(
              `it returned a fix of kind ${r.fix.kind}, but its meta.fixable is [${rule.meta.fixable.join(', ')}]`,
            );
          findings.push({
            ruleId: rule.meta.id,
            level: explicitLevel ?? r.level ?? level,
            message: r.message,
            ...(r.detail ? { detail: r.detail } : {}),
            range: r.at,
            ...(r.related?.length ? { related: r.related } : {}),
            ...(r.fix ? { fix: r.fix } : {}),
          });
        },
      });
    } catch (err) {
      options.onInternalError(rule.meta.id, file.path, err);
    }
  }
  const { findings: kept, problems } = applySuppressions(findings, parseDirectives(file.text), {
    knownRuleIds: new Set(options.rules.map((r) => r.meta.id)),
    reportUnused: options.reportUnusedDirectives ?? false,
  });
  // Directive findings follow the config like any rule's (their metadata is in rules/directives.ts).
  const directiveFindings = problems.flatMap((p) => {
    const meta = directiveMetas.find((m) => m.id === p.ruleId);
    const level = meta ? effectiveLevel(options.config, meta) : p.level;
    return level === 'off' ? [] : [{ ...p, level }];
  });
  const all = [...kept, ...directiveFindings].sort(
    (a, b) => a.range.start.offset - b.range.start.offset || a.ruleId.localeCompare(b.ruleId),
  );
  // Fingerprinted now, while the text is at hand: results do not keep it for the reporters.
  return { path: file.path, findings: withFingerprints(file.text, dedupe(all)) };
}

/** The schema validator can report one problem twice at one place; show it once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}\0${f.range.start.offset}\0${f.range.end.offset}\0${f.message}\0${f.detail ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
