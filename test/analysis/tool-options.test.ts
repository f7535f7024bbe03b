import { describe, expect, it } from 'vitest';
import { analyzeScript } from '../../src/analysis/shell/script.js';
import { alternativeOf, optionOf, receiverOf, TOOLS } from '../../src/analysis/shell/tool-options.js';
import { loadWorkflow } from '../../src/workflow/load.js';

/** The first command of a one-line script, and its argument holding `$SECRET`. */
function secretArg(line: string) {
  const text = [
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: |',
    `          ${line}`,
  ];
  const step = loadWorkflow('s.yml', text.join('\n') + '\n').workflow!.jobs[0].steps[0];
  const command = analyzeScript(step)!.commands[0];
  const word = command.args.find((a) => a.text.includes('$SECRET'))!;
  const receiver = receiverOf(command, word);
  const option = optionOf(receiver.tool, receiver.args, receiver.args.indexOf(word));
  return { name: receiver.name, via: receiver.via, option, instead: alternativeOf(receiver.tool, option) };
}

describe('the option a secret is given to', () => {
  it.each([
    ['curl -fsS --retry 3 --retry-connrefused "$SECRET"', undefined],
    ['git config --global url."https://$SECRET@github.com".insteadOf https://github.com', undefined],
    ['git push -f "https://x:$SECRET@github.com/o/r.git" main', undefined],
    ['git clone --depth=1 --no-checkout "$SECRET" site', undefined],
    ['curl -H "Authorization: Bearer $SECRET" https://x', '-H'],
    ['curl --user "ci:$SECRET" https://x', '--user'],
    ['docker run -it -e "TOKEN=$SECRET" alpine env', '-e'],
    ['docker login -u bot --password="$SECRET" ghcr.io', '--password'],
    ['jq -n --arg token "$SECRET" \'{t: $token}\'', '--arg'],
    ['rsync -avz -e "ssh -i $SECRET" dist/ host:/srv', '-e'],
    ['mysql -u root -p "$SECRET"', undefined],
    ['aws ssm put-parameter --name x --value "$SECRET" --overwrite', '--value'],
    ['my-tool --slack-webhook "$SECRET"', '--slack-webhook'],
    ['my-tool --no-verify "$SECRET"', undefined],
  ])('%s: %s', (line, option) => expect(secretArg(line).option).toBe(option));
});

describe('the program that receives it', () => {
  it.each([
    ['sudo -u runner wget --header "X-Token: $SECRET" https://x', 'wget', undefined],
    ['timeout 60 curl -H "X: $SECRET" https://x', 'curl', undefined],
    ['docker run --rm quay.io/skopeo/stable copy --src-creds "u:$SECRET" a b', 'skopeo', 'docker run'],
    ['docker run --rm -e "T=$SECRET" quay.io/skopeo/stable copy a b', 'docker', undefined],
    ['docker run --rm alpine/helm:3 skopeo copy --dest-creds "u:$SECRET" a b', 'skopeo', 'docker run'],
    ['docker compose run --rm verifier --password="$SECRET"', 'verifier', 'docker compose run'],
    ['kubectl exec -n app web -- curl -H "X: $SECRET" http://svc', 'curl', undefined],
    ['python3 -m twine upload -p "$SECRET" dist/*', 'twine', 'python3 -m'],
    ['python3 ./scripts/retry.py wget --header "X: $SECRET" https://x', 'wget', 'python3'],
    ['npx vsce publish -p "$SECRET"', 'vsce', undefined],
    ['java -jar /tmp/jsign.jar --storepass "$SECRET" app.exe', 'jsign.jar', 'java -jar'],
    ['./deploy.sh "$SECRET"', 'deploy.sh', undefined],
  ])('%s: %s', (line, name, via) => {
    const found = secretArg(line);
    expect([found.name, found.via]).toEqual([name, via]);
  });
});

describe("the tool's own alternative", () => {
  it('names a way off the command line where the tool has one', () => {
    expect(secretArg('curl -H "Authorization: Bearer $SECRET" https://x').instead).toContain('-H @-');
    expect(secretArg('curl "https://hooks.example.com/$SECRET"').instead).toContain('--config -');
    expect(secretArg('skopeo copy --dest-creds "u:$SECRET" a b').instead).toContain('--authfile');
    expect(secretArg('security import c.p12 -k k -P "$SECRET"').instead).toContain('openssl pkcs12 -passin env:');
    expect(secretArg('vsce publish -p "$SECRET"').instead).toBe(
      'vsce reads `VSCE_PAT` from its environment: set it in `env:`',
    );
    expect(secretArg('my-tool --token "$SECRET"').instead).toBeUndefined();
  });

  it('lists each option once per tool', () => {
    for (const [tool, spec] of Object.entries(TOOLS)) {
      const value = (spec.value ?? '').split(/\s+/).filter(Boolean);
      const flags = new Set((spec.flags ?? '').split(/\s+/).filter(Boolean));
      expect(
        value.filter((o) => flags.has(o)),
        `${tool} lists an option as both`,
      ).toEqual([]);
    }
  });
});
