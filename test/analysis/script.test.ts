import { describe, expect, it } from 'vitest';
import { analyzeScript, type Command, type Word } from '../../src/analysis/shell/script.js';
import { loadWorkflow } from '../../src/workflow/load.js';

/** The script of a one-step workflow, written as a literal block. */
function script(body: string, shell?: string) {
  const lines = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: |',
    ...body.split('\n').map((l) => `          ${l}`),
  ];
  if (shell) lines.splice(5, 1, `      - shell: ${shell}`, '        run: |');
  const wf = loadWorkflow('s.yml', lines.join('\n') + '\n').workflow!;
  return analyzeScript(wf.jobs[0].steps[0])!;
}
const at = (w: { range: { start: { line: number; column: number } } }) =>
  `${w.range.start.line}:${w.range.start.column}`;
const show = (c: Command) => [c.name, ...c.args.map((a: Word) => a.text)].join(' ');

describe('bash scripts', () => {
  it('finds commands, arguments and their positions in the workflow file', () => {
    const s = script('docker login -u bot -p "$REGISTRY_TOKEN" ghcr.io');
    expect(s.commands.map(show)).toEqual(['docker login -u bot -p "$REGISTRY_TOKEN" ghcr.io']);
    const arg = s.commands[0].args[4];
    expect([arg.vars.map((v) => v.name), at(arg), at(arg.vars[0])]).toEqual([['REGISTRY_TOKEN'], '7:34', '7:35']);
  });

  it('keeps expressions as placeholders and maps them back', () => {
    const s = script('curl -H "Authorization: Bearer ${{ secrets.TOKEN }}" https://x');
    const header = s.commands[0].args[1];
    expect(header.exprs[0].refs[0].path).toEqual(['TOKEN']);
    expect(header.vars).toEqual([]);
    expect(at(header)).toBe('7:19');
  });

  it('records command substitutions, assignments and exports', () => {
    const s = script(
      'export PW=$(aws secretsmanager get-secret-value --secret-id db --query SecretString --output text)\nX=1 ./deploy.sh',
    );
    expect(s.assignments.map((a) => [a.name, a.exported])).toEqual([['PW', true]]);
    const sub = s.assignments[0].value!.substitutions[0];
    expect([sub.name, sub.inSubstitution, sub.args[0].text]).toEqual(['aws', true, 'secretsmanager']);
    const deploy = s.commands.find((c) => c.name === './deploy.sh')!;
    expect(deploy.prefixAssignments.map((a) => a.name)).toEqual(['X']);
  });

  it('knows where stdin comes from: pipes, here-strings, heredocs, files', () => {
    const s = script(
      'printf %s "$T" | docker login --password-stdin\ntool <<< "$T"\ncat <<EOF | kubectl apply -f -\n$T\nEOF\nread x < file',
    );
    const by = (name: string) => s.commands.find((c) => c.name === name)!;
    expect(by('docker').stdin).toBe('pipe');
    expect(by('printf').pipeTo).toBe(by('docker'));
    expect(by('tool').stdin).toBe('herestring');
    expect(by('cat').stdin).toBe('heredoc');
    expect(by('kubectl').stdin).toBe('pipe');
    expect(by('read').stdin).toBe('file');
  });

  it('records redirects such as writes to $GITHUB_ENV', () => {
    const s = script('echo "KEY=$VALUE" >> "$GITHUB_ENV"');
    expect(s.commands[0].redirects.map((r) => [r.op, r.target!.vars[0].name])).toEqual([['>>', 'GITHUB_ENV']]);
  });

  it('records test conditions and required-variable expansions', () => {
    const s = script(
      '[ -z "$A" ] && exit 1\n[[ -n "${B}" ]] || exit 1\n: "${C:?C is required}"\nfor n in D E; do test -z "${!n}" && exit 1; done',
    );
    expect(s.conditions.flatMap((c) => c.tests.map((t) => `${t.op} ${t.vars.map((v) => v.name)}`))).toEqual([
      '-z A',
      '-n B',
    ]);
    const colon = s.commands.find((c) => c.name === ':')!;
    expect(colon.args[0].vars[0]).toMatchObject({ name: 'C', operator: ':?' });
    const test = s.commands.find((c) => c.name === 'test')!;
    expect(test.args[1].vars[0]).toMatchObject({ name: 'n', indirect: true });
  });

  it('parses a folded script and CRLF text', () => {
    const wf = loadWorkflow(
      'c.yml',
      'on: push\r\njobs:\r\n  a:\r\n    runs-on: x\r\n    steps:\r\n      - run: >-\r\n          helm upgrade app ./chart\r\n          --set password=$DB_PASSWORD\r\n',
    ).workflow!;
    const s = analyzeScript(wf.jobs[0].steps[0])!;
    expect(s.commands.map(show)).toEqual(['helm upgrade app ./chart --set password=$DB_PASSWORD']);
    expect(at(s.commands[0].args[4].vars[0])).toBe('8:26');
  });

  it('keeps the output redirect that tree-sitter nests inside a heredoc', () => {
    const s = script('cat <<EOF >> "$GITHUB_ENV"\nTOKEN=$T\nEOF');
    expect(s.commands[0].redirects.map((r) => r.op)).toEqual(['<<', '>>']);
    expect(s.commands[0].redirects[1].target!.vars[0].name).toBe('GITHUB_ENV');
  });

  it('reads a process substitution as a path, not as the value of its commands', () => {
    const s = script('gpg --import <(printf %s "$KEY")');
    const arg = s.commands.find((c) => c.name === 'gpg')!.args[1];
    expect([arg.substitutions.length, arg.fileSubstitutions!.map((c) => c.name)]).toEqual([0, ['printf']]);
  });

  it('records the functions a script defines and length expansions', () => {
    const s = script('upload() { curl -T f "$1"; }\nupload "$TOKEN"\necho "${#TOKEN}"');
    expect([...s.functions]).toEqual(['upload']);
    expect(s.commands.find((c) => c.name === 'echo')!.args[0].vars[0]).toMatchObject({ name: 'TOKEN', length: true });
  });

  it('skips python and other shells', () => {
    expect(script('print("hi")', 'python').kind).toBe('unsupported');
    expect(script('print("hi")', 'python').commands).toEqual([]);
  });
});

describe('PowerShell scripts', () => {
  it('finds commands with -Password $env:X arguments, pipes and assignments', () => {
    const s = script(
      '$pw = $env:DB_PASSWORD\nConnect-Db -Server db -Password $env:DB_PASSWORD\n$env:TOKEN | docker login --password-stdin',
      'pwsh',
    );
    expect(s.assignments.map((a) => a.name)).toEqual(['pw']);
    const connect = s.commands.find((c) => c.name === 'Connect-Db')!;
    expect(connect.args[3].vars[0]).toMatchObject({ name: 'DB_PASSWORD', env: true });
    expect(at(connect.args[3])).toBe('9:43');
    expect(s.commands.find((c) => c.name === 'docker')!.stdin).toBe('pipe');
  });

  it('reads `$x = command`, property assignments, expression statements and the call operator', () => {
    const s = script(
      '$pw = aws secretsmanager get-secret-value --secret-id db\n$cfg.password = $pw\n"PW=$pw" | Out-File $env:GITHUB_ENV -Append\n& $nuget push -ApiKey $env:KEY',
      'pwsh',
    );
    expect(s.assignments.map((a) => [a.name, a.merge ?? false])).toEqual([
      ['pw', false],
      ['cfg', true],
    ]);
    expect(s.assignments[0].value!.substitutions.map((c) => [c.name, c.inSubstitution])).toEqual([['aws', true]]);
    expect(s.commands.map((c) => c.name)).toEqual(['aws', 'Write-Output', 'Out-File', '$nuget']);
  });

  it('notes the property read from a variable', () => {
    const s = script('azd auth login --client-id "$($info.clientId)"', 'pwsh');
    expect(s.commands[0].args[3].vars[0]).toMatchObject({ name: 'info', member: 'clientId' });
  });
});
