import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { effectiveCommand } from '../../src/analysis/match.js';
import { analyzeScript } from '../../src/analysis/shell/script.js';
import { loadWorkflow } from '../../src/workflow/load.js';
import { FIXTURES } from '../rules/harness.js';

const DIR = join(FIXTURES, 'fix', 'secret-in-cli-args');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

/** The curl fix pairs, with how many secret-carrying curl arguments each fixed file keeps on purpose. */
const PAIRS: Record<string, number> = {
  'curl-header-expression': 0,
  'curl-user': 0,
  'curl-data': 0,
  'curl-several-secrets': 1,
  'curl-in-compound-commands': 0,
  'curl-url': 0,
  'curl-stdin-taken': 11,
};
/** The cases the fixer must leave alone. */
const NEGATIVES = 'curl-stdin-taken';

/**
 * The arguments of every curl command that carry a secret, as the shell parser reads them: a
 * `${{ secrets.X }}` in the word, or a variable the step, job or workflow env sets from a secret.
 */
function secretCurlArgs(text: string): string[] {
  const { workflow } = loadWorkflow('case.yml', text);
  const fromSecrets = (env: { key: string; value?: { text: string } }[]) =>
    env.filter((e) => e.value?.text.includes('secrets.')).map((e) => e.key);
  const found: string[] = [];
  for (const job of workflow!.jobs) {
    for (const step of job.steps) {
      const script = analyzeScript(step);
      const secretVars = new Set([...fromSecrets(workflow!.env), ...fromSecrets(job.env), ...fromSecrets(step.env)]);
      for (const command of script?.commands ?? []) {
        if (effectiveCommand(command).name !== 'curl') continue;
        for (const arg of command.args) {
          const expr = arg.exprs.some((e) => e.refs.some((r) => r.context === 'secrets'));
          if (expr || arg.vars.some((v) => secretVars.has(v.name))) found.push(arg.text);
        }
      }
    }
  }
  return found;
}

describe('the curl fix takes secrets out of argv', () => {
  for (const [name, kept] of Object.entries(PAIRS)) {
    it(`${name}: ${kept} secret argument(s) of curl left after the fix, more before`, () => {
      const before = secretCurlArgs(read(`${name}.yml`));
      const after = secretCurlArgs(read(`${name}.fixed.yml`));
      expect(after).toHaveLength(kept);
      if (name === NEGATIVES) expect(after).toEqual(before);
      else expect(before.length).toBeGreaterThan(kept);
    });
  }
});

const HAS_CURL = spawnSync('curl', ['--version']).status === 0;
if (!HAS_CURL) console.warn('Skipping the curl run of the fix pairs: `curl` is not on PATH.');
const HAS_DASH = spawnSync('dash', ['-c', 'exit 0']).status === 0;
if (HAS_CURL && !HAS_DASH) console.warn('Running the fixed curl commands under bash only: `dash` is not on PATH.');

interface Received {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * Secret values for a run. A secret the original pastes into the script with `${{ }}` gets a value
 * the shell reads as it stands (a quote there would break the original: the injection the fix
 * removes); the others get quotes, a backslash, `$` and `%`, which the config escaping and the printf
 * formats must carry unchanged. No blank: the fix quotes an unquoted `$X`, which the original split
 * into several arguments at one (the config's quoting of blanks is exercised by `Bearer $X`). A
 * secret named `*_URL` is a URL of the local server.
 */
function secretValues(original: string, url: string): (name: string) => string {
  return (name) =>
    name.endsWith('_URL')
      ? `${url}/hooks/${name.toLowerCase()}?sig=a%2Bb`
      : new RegExp(`\\$\\{\\{[^}]*secrets\\.${name}\\b`).test(original.replace(/^ *\w+: \$\{\{.*$/gm, ''))
        ? `${name.toLowerCase()}-Plain.Value_42`
        : `${name.toLowerCase()}"q"\\b'$HOME%s`;
}

/** Each step's script and env of a workflow, with `${{ secrets.X }}` and `${{ vars.X }}` put in as the runner does. */
function stepsOf(text: string, secret: (name: string) => string, url: string) {
  const expand = (s: string) =>
    s
      .replace(/\$\{\{\s*secrets\.(\w+)\s*\}\}/g, (_, n: string) => secret(n))
      .replace(/\$\{\{\s*vars\.(\w+)\s*\}\}/g, (_, n: string) => `${n.toLowerCase()}-var`);
  const doc = parse(text) as { jobs: Record<string, { steps: { run: string; env?: Record<string, string> }[] }> };
  return Object.values(doc.jobs).flatMap((job) =>
    job.steps.map((step) => ({
      script: expand(step.run).replace(/https?:\/\/[\w.-]+(:\d+)?/g, url),
      env: Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v))])),
    })),
  );
}

/** The local server both runs talk to (one port, so that proxy requests' absolute URLs match), and what it received. */
const received: Received[] = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
  req.on('end', () => {
    received.push({ method: req.method, url: req.url, headers: req.headers, body });
    res.end('ok\n');
  });
});
beforeAll(() => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Runs a workflow's steps under `shell` with a logging `curl` first on PATH; the requests and each curl's argv. */
async function runSteps(text: string, original: string, shell: string[]) {
  received.length = 0;
  const dir = mkdtempSync(join(tmpdir(), 'wf-lint-curl-'));
  const argvLog = join(dir, 'argv.log');
  const real = spawnSync('sh', ['-c', 'command -v curl'], { encoding: 'utf8' }).stdout.trim();
  writeFileSync(join(dir, 'curl'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${argvLog}'\nexec '${real}' "$@"\n`);
  chmodSync(join(dir, 'curl'), 0o755);
  writeFileSync(join(dir, 'app.zip'), 'zip bytes');
  writeFileSync(argvLog, '');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const step of stepsOf(text, secretValues(original, url), url)) {
    const env = { PATH: `${dir}:${process.env.PATH}`, HOME: dir, ...step.env };
    const script = step.script.replace(/dist\//g, '');
    await promisify(execFile)(shell[0], [...shell.slice(1), '-c', script], { cwd: dir, env });
  }
  return { received: [...received], argv: readFileSync(argvLog, 'utf8') };
}

describe('the fixed curl commands send what the originals sent', () => {
  for (const name of Object.keys(PAIRS).filter((n) => n !== NEGATIVES)) {
    it.skipIf(!HAS_CURL)(`${name}: same requests, under bash and dash, and no secret in curl's argv`, async () => {
      const original = read(`${name}.yml`);
      const fixed = read(`${name}.fixed.yml`);
      const before = await runSteps(original, original, ['bash', '--noprofile', '--norc', '-eo', 'pipefail']);
      const after = await runSteps(fixed, original, ['bash', '--noprofile', '--norc', '-eo', 'pipefail']);
      expect(before.received.length).toBeGreaterThan(0);
      expect(after.received).toEqual(before.received);
      if (HAS_DASH) expect((await runSteps(fixed, original, ['dash', '-e'])).received).toEqual(before.received);
      const secret = /[a-z_]+"q"\\b|[a-z_]+-Plain\.Value_42|\/hooks\//;
      expect(before.argv).toMatch(secret);
      // The one argument curl-several-secrets keeps on purpose (a body, which cannot share stdin).
      const kept = PAIRS[name] > 0 ? /^.*-d secret=.*$/m : /^$/;
      expect(after.argv.replace(kept, '')).not.toMatch(secret);
    });
  }
});
