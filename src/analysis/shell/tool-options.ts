import type { Command, Word } from './script.js';

/**
 * What wf-lint knows about the options of common command-line tools: which take a value and which
 * take none, per subcommand, so that a message names the option a secret is given to (and never a
 * boolean flag before a positional argument), which tools run another command (`sudo`, `xargs`,
 * `docker run IMAGE CMD`), and how each tool can take a secret off its command line. Option lists are
 * written as space-separated words; a tool's subcommands add to its own lists.
 */
export interface ToolSpec {
  /** Options whose value is the next word (or follows `=`). */
  value?: string;
  /** Options that take two words: `jq --arg NAME VALUE`. */
  pair?: string;
  /** Options that take no value. */
  flags?: string;
  /** Every `--long` option not listed as a flag takes a value, as in the aws, az and gcloud CLIs. */
  longValues?: boolean;
  /** Subcommands, by their words (`login`, `compose run`): their options add to the tool's. */
  sub?: Record<string, ToolSpec>;
  /**
   * The tool runs another command: after its options, `skip` more positional words (timeout's
   * duration), then the command. `assignments`: `NAME=value` words before the command set its environment;
   * `separator`: the command follows `--`; `module`: the command is this option's value (`python -m`).
   */
  runs?: { skip?: number; assignments?: boolean; separator?: boolean; module?: string };
  /** The tool starts a container (or service): the first positional word, then the command it runs. */
  container?: boolean;
  /** Ways to keep a secret off this tool's command line: a subcommand's first, then the first that fits the option. */
  instead?: Alternative[];
}

/** How a tool takes a secret another way, for the options it applies to. */
export interface Alternative {
  /** The options it replaces (space-separated); any when absent. `-` is a positional argument, `-*` any option. */
  options?: string;
  text: string;
}

const STDIN_LOGIN = 'read the password from stdin with `--password-stdin`';
/** `{tool}` stands for the tool's name. */
const fromEnv = (variable: string) => `{tool} reads \`${variable}\` from its environment: set it in \`env:\``;
const GIT_URL =
  'give git the token through a credential helper or an `http.extraheader` set from the environment ' +
  '(`GIT_CONFIG_COUNT`, `GIT_CONFIG_KEY_0`, `GIT_CONFIG_VALUE_0`), or check out with `token:`';
const CURL_CONFIG =
  'curl reads options from stdin with `--config -` (`-K -`): `url = "…"`, `user = "…"`, `header = "…"`';
const CURL_HEADER = 'curl reads headers from stdin with `-H @-`, or options with `--config -`';
const CURL_DATA = 'curl reads the body from stdin with `--data @-` (`-F name=<-` for a form field)';
const WGET_RC =
  'wget reads `header = …`, `user = …` and `password = …` from a startup file (`--config=FILE` or ' +
  '`WGETRC`) written with a builtin under $RUNNER_TEMP';
const NPMRC = 'an `.npmrc` line `//registry/:_authToken=${NODE_AUTH_TOKEN}` reads it from the environment';
const SKOPEO_AUTH =
  'skopeo reads credentials from an auth file (`--authfile`, or `REGISTRY_AUTH_FILE`) that ' +
  '`skopeo login --password-stdin` writes';
const DOCKER_ENV = "`-e NAME` without a value passes the variable from docker's own environment (or `--env-file`)";
const BUILD_SECRET = 'BuildKit secrets (`--secret id=NAME,env=NAME`) keep it out of the command line and the image';
const OPENSSL_PASS = 'openssl reads passwords with `-pass env:NAME` (or `file:PATH`, `stdin`)';
const AWS_FILE = 'the AWS CLI reads an option from a file with `file://PATH` (written with a builtin, deleted after)';
const AZ_FILE = 'az reads an option from a file with `@PATH` (written with a builtin, deleted after)';
const SECURITY_IMPORT =
  '`security import` has no stdin or env form of `-P`: import a key file that needs none ' +
  '(`openssl pkcs12 -passin env:NAME -nodes` into $RUNNER_TEMP, deleted after)';
const NOTARY_KEY = 'notarytool authenticates with an App Store Connect API key file (`--key`, `--key-id`, `--issuer`)';
const GPG_FD = 'gpg reads the passphrase from stdin with `--passphrase-fd 0`, or from `--passphrase-file`';
const PG_ENV = 'libpq reads `PGPASSWORD` from the environment (or a `.pgpass` file)';
const JQ_ENV = 'jq reads the environment itself: `$ENV.NAME` in the filter';

const COMPOSE_FILES = '-f --file -p --project-name --env-file --profile --project-directory --ansi';

/** Options of `docker run` / `create` / `exec`, shared by podman and nerdctl. */
const CONTAINER_RUN: ToolSpec = {
  value:
    '-e --env --env-file -v --volume -p --publish --name -w --workdir -u --user --entrypoint --network --net ' +
    '-l --label --mount --platform -h --hostname --add-host --cpus -m --memory --shm-size --ulimit --cap-add ' +
    '--cap-drop --device --dns --gpus --pull --restart --security-opt --tmpfs --volumes-from --log-driver ' +
    '--log-opt --ipc --pid --cidfile --label-file --link --stop-signal --stop-timeout --runtime --group-add --expose',
  flags: '--rm -d --detach -i --interactive -t --tty --privileged --init -P --publish-all --read-only -q --quiet',
  container: true,
  instead: [{ options: '-e --env', text: DOCKER_ENV }],
};
const CONTAINER_BUILD: ToolSpec = {
  value:
    '--build-arg -t --tag -f --file --target --platform --secret --label --cache-from --cache-to -o --output ' +
    '--progress --network --ssh --iidfile --metadata-file --builder --build-context --provenance --sbom',
  flags: '--push --load --no-cache --pull -q --quiet --rm --force-rm',
  instead: [{ options: '--build-arg', text: BUILD_SECRET }],
};
const CONTAINER_LOGIN: ToolSpec = {
  value: '-u --username -p --password',
  flags: '--password-stdin',
  instead: [{ text: STDIN_LOGIN }],
};
const CONTAINER_CLI: ToolSpec = {
  // `docker compose`'s own options too, which come before its subcommand.
  value: `-H --host --config --context -l --log-level ${COMPOSE_FILES}`,
  sub: {
    login: CONTAINER_LOGIN,
    run: CONTAINER_RUN,
    create: CONTAINER_RUN,
    'container run': CONTAINER_RUN,
    exec: { ...CONTAINER_RUN, value: '-e --env --env-file -u --user -w --workdir', flags: '-i -t -d --privileged' },
    build: CONTAINER_BUILD,
    'buildx build': CONTAINER_BUILD,
    'compose run': { ...CONTAINER_RUN, flags: `${CONTAINER_RUN.flags} -T --no-deps --build --service-ports` },
    'compose exec': { value: '-e --env -u --user -w --workdir --index', flags: '-T -d --privileged', container: true },
  },
};

const HELM_RELEASE: ToolSpec = {
  value:
    '--set --set-string --set-file --set-json --set-literal -f --values --version --timeout --description ' +
    '--post-renderer --repo --username --password --ca-file --cert-file --key-file --history-max',
  flags:
    '-i --install --atomic --wait --wait-for-jobs --create-namespace --force --reuse-values --reset-values ' +
    '--reset-then-reuse-values --cleanup-on-fail --skip-crds --devel --insecure-skip-tls-verify --plain-http ' +
    '--pass-credentials --dependency-update --render-subchart-notes --disable-openapi-validation --no-hooks',
};

const MYSQL: ToolSpec = {
  value: '-u --user -h --host -P --port -D --database -e --execute -S --socket --protocol --ssl-mode --ssl-ca',
  // `-p` alone prompts for the password: the next word is a database name.
  flags: '-p -B --batch -N --skip-column-names -s --silent -v --verbose -t --table -E --vertical -f --force',
  instead: [{ text: 'mysql reads `MYSQL_PWD` from its environment, or an option file (`--defaults-extra-file`)' }],
};

const PSQL: ToolSpec = {
  value:
    '-h --host -p --port -U --username -d --dbname -c --command -f --file -v --set --variable -o --output ' +
    '-P --pset -F --field-separator -R --record-separator -L --log-file',
  flags: '-w --no-password -W --password -q --quiet -t -A -X -1 -e -a -b -E -n -s -S -x -H',
  instead: [{ text: PG_ENV }],
};

const SKOPEO_IMAGE: ToolSpec = {
  value: '--creds --authfile --registry-token --username --password --cert-dir --retry-times',
  flags: '--raw --config --no-creds --tls-verify',
};

const TERRAFORM: ToolSpec = {
  value: '-var -var-file -target -replace -backend-config -lock-timeout -parallelism -state -out',
  flags:
    '-auto-approve -no-color -upgrade -reconfigure -migrate-state -refresh-only -destroy -json ' +
    '-compact-warnings -force-copy -recursive -check -diff',
  instead: [{ text: 'terraform reads a variable from `TF_VAR_name` in its environment' }],
};

const GRADLE: ToolSpec = {
  value: '-p --project-dir -x --exclude-task -c --settings-file -I --init-script',
  flags: '--no-daemon --stacktrace --info --debug -q --quiet --scan --build-cache --parallel',
  instead: [{ text: 'Gradle reads a project property `-Pname` from `ORG_GRADLE_PROJECT_name` in its environment' }],
};

const MAVEN: ToolSpec = {
  value: '-s --settings -f --file -pl --projects -P --activate-profiles -T --threads -gs --global-settings',
  flags: '-B --batch-mode -q --quiet -e --errors -U --update-snapshots -am --also-make -ntp --no-transfer-progress',
  instead: [{ text: 'Maven reads `${env.NAME}` in settings.xml: keep the value in the environment' }],
};

/** `python -m twine upload …` runs twine (`java -jar tool.jar …` runs tool.jar, below). */
const PYTHON: ToolSpec = { value: '-W -X', flags: '-u -B -E -I -O -q -s -S', runs: { module: '-m' } };

const envOnly = (variable: string): Alternative[] => [{ text: fromEnv(variable) }];

/** The tools wf-lint knows the options of, by the name a script runs them by. */
export const TOOLS: Record<string, ToolSpec> = {
  curl: {
    value:
      '-H --header -u --user -d --data --data-raw --data-binary --data-urlencode --json -F --form --form-string ' +
      '-o --output -X --request -A --user-agent -e --referer -b --cookie -c --cookie-jar -K --config --url ' +
      '-x --proxy -U --proxy-user --oauth2-bearer --retry --retry-delay --retry-max-time -m --max-time ' +
      '--connect-timeout -w --write-out -T --upload-file -E --cert --key --pass --cacert --capath --resolve ' +
      '--connect-to -r --range -z --time-cond -C --continue-at --limit-rate --max-filesize -D --dump-header ' +
      '--noproxy --proto --stderr --trace --trace-ascii --aws-sigv4 --variable --netrc-file',
    flags:
      '-f --fail --fail-with-body -s --silent -S --show-error -L --location -k --insecure -v --verbose -i --include ' +
      '-I --head -O --remote-name -J --remote-header-name -G --get -N --no-buffer -g --globoff --compressed ' +
      '--retry-connrefused --retry-all-errors -# --progress-bar --http1.1 --http2 -n --netrc --create-dirs -q ' +
      '-Z --parallel --location-trusted --digest --basic --fail-early -l --list-only -a --append -R --remote-time',
    instead: [
      { options: '-H --header', text: CURL_HEADER },
      { options: '-d --data --data-raw --data-binary --data-urlencode --json -F --form', text: CURL_DATA },
      { text: CURL_CONFIG },
    ],
  },
  wget: {
    value:
      '-O --output-document -o --output-file -a --append-output --header --user --password --http-user ' +
      '--http-password --post-data --post-file --body-data --method -t --tries -T --timeout -P --directory-prefix ' +
      '-U --user-agent -e --execute --ca-certificate --certificate --private-key -i --input-file --load-cookies ' +
      '--save-cookies -w --wait -Q --quota --limit-rate --referer -l --level -A --accept -R --reject --config',
    flags:
      '-q --quiet -v --verbose -nv --no-verbose -c --continue -N --timestamping -r --recursive -nc --no-clobber ' +
      '--no-check-certificate -S --server-response --spider -k --convert-links -p --page-requisites ' +
      '-np --no-parent -nd -nH -m --mirror --content-disposition --auth-no-challenge --ask-password -x',
    instead: [
      { options: '--post-data --body-data', text: 'wget reads the body from a file with `--post-file`' },
      { text: WGET_RC },
    ],
  },
  docker: CONTAINER_CLI,
  podman: CONTAINER_CLI,
  nerdctl: CONTAINER_CLI,
  'docker-compose': {
    value: COMPOSE_FILES,
    sub: { run: CONTAINER_CLI.sub!['compose run'], exec: CONTAINER_CLI.sub!['compose exec'] },
  },
  helm: {
    value:
      '-n --namespace --kube-context --kubeconfig --kube-token --kube-apiserver --registry-config ' +
      '--repository-config --repository-cache',
    flags: '--debug',
    sub: {
      install: HELM_RELEASE,
      upgrade: HELM_RELEASE,
      template: HELM_RELEASE,
      'repo add': {
        value: '--username --password --ca-file --cert-file --key-file',
        flags: '--password-stdin --force-update --pass-credentials --insecure-skip-tls-verify',
        instead: [{ text: STDIN_LOGIN }],
      },
      'registry login': { ...CONTAINER_LOGIN, flags: '--password-stdin --insecure' },
    },
    instead: [
      {
        options: '--set --set-string',
        text: 'helm reads a value from a file with `--set-file KEY=PATH` (`/dev/stdin` too), or a values file (`-f`)',
      },
    ],
  },
  kubectl: {
    value:
      '-n --namespace --context --cluster --kubeconfig --token -s --server --user --as --as-group -o --output ' +
      '-l --selector --field-selector -f --filename -k --kustomize -c --container --timeout --request-timeout ' +
      '--certificate-authority --client-certificate --client-key --from-literal --from-file --from-env-file ' +
      '--docker-server --docker-username --docker-password --docker-email -p --patch --image --replicas --for ' +
      '--grace-period --type',
    flags:
      '-A --all-namespaces --all --overwrite --force --wait --record -i -t --stdin --tty ' +
      '--insecure-skip-tls-verify --server-side --force-conflicts --prune -w --watch --ignore-not-found',
    sub: { exec: { runs: { separator: true } } },
    instead: [
      {
        options: '--from-literal',
        text: 'kubectl reads the value from stdin with `--from-file=KEY=/dev/stdin`, or from `--from-env-file`',
      },
      { options: '--token --docker-password', text: 'a kubeconfig file (`--kubeconfig`) written with a builtin' },
    ],
  },
  aws: {
    longValues: true,
    flags:
      '--debug --no-verify-ssl --no-paginate --no-cli-pager --no-sign-request --recursive --dryrun --delete ' +
      '--exact-timestamps --follow-symlinks --no-progress --only-show-errors --quiet --force --with-decryption ' +
      '--no-with-decryption --overwrite',
    sub: {
      'configure set': {
        instead: [{ text: 'the AWS CLI reads `AWS_SECRET_ACCESS_KEY` from its environment: nothing to write' }],
      },
    },
    instead: [{ options: '-*', text: AWS_FILE }],
  },
  az: {
    longValues: true,
    value: '-u --username -p --password -t --tenant -g --resource-group -n --name -o --output -s --subscription',
    flags:
      '-y --yes --only-show-errors --debug --verbose --no-wait --allow-no-subscriptions --service-principal ' +
      '--identity --use-device-code --overwrite',
    instead: [{ text: AZ_FILE }],
  },
  gcloud: {
    longValues: true,
    flags:
      '-q --quiet --async --allow-unauthenticated --no-allow-unauthenticated --no-traffic --no-promote --promote ' +
      '--stop-previous-version --no-user-output-enabled --log-http --all --recursive --no-clobber',
    instead: [
      {
        options: '--set-env-vars --update-env-vars',
        text: 'Cloud Run and Cloud Functions read secrets from Secret Manager with `--set-secrets`',
      },
      { text: 'gcloud reads flags from a file with `--flags-file`, and secret data from stdin with `--data-file=-`' },
    ],
  },
  gh: {
    value: '-R --repo',
    sub: {
      'secret set': {
        value: '-b --body -e --env -o --org -a --app -v --visibility -r --repos -f --env-file',
        flags: '--no-store -u --user',
        instead: [{ text: 'gh reads the secret value from stdin when `--body` is left out' }],
      },
      api: {
        value:
          '-H --header -X --method -f --raw-field -F --field --jq -q -t --template --input --hostname -p --preview',
        flags: '--paginate -i --include --silent --slurp --verbose',
        instead: [{ text: fromEnv('GH_TOKEN') }],
      },
      'auth login': {
        value: '-h --hostname -s --scopes -p --git-protocol',
        flags: '--with-token -w --web',
        instead: [{ text: 'gh reads the token from stdin with `--with-token`' }],
      },
      'release create': {
        value: '-t --title -n --notes -F --notes-file --target --discussion-category --notes-start-tag',
        flags: '-d --draft -p --prerelease --generate-notes --latest --verify-tag',
      },
      'pr create': {
        value: '-t --title -b --body -B --base -H --head -l --label -a --assignee -r --reviewer -m --milestone',
        flags: '-d --draft -f --fill',
      },
    },
    instead: [{ text: fromEnv('GH_TOKEN') }],
  },
  git: {
    value: '-C -c --git-dir --work-tree --namespace',
    flags: '--no-pager --bare -p --paginate -P',
    sub: {
      clone: {
        value:
          '-b --branch --depth -o --origin --reference --separate-git-dir --config --filter --shallow-since ' +
          '--shallow-exclude -j --jobs -u --upload-pack --template',
        flags:
          '-q --quiet -v --verbose -n --no-checkout --bare --mirror --single-branch --no-single-branch --no-tags ' +
          '--shallow-submodules --recursive --recurse-submodules -l --local -s --shared --sparse --progress',
      },
      push: {
        value: '-o --push-option --repo --receive-pack',
        flags:
          '-f --force -u --set-upstream --tags --all --mirror -d --delete -q --quiet -v --verbose --follow-tags ' +
          '--atomic --no-verify -n --dry-run --prune --porcelain --progress --force-with-lease',
      },
      pull: { value: '--depth -j --jobs', flags: '-r --rebase --ff-only --no-rebase --tags --all -q --unshallow' },
      fetch: { value: '--depth -j --jobs', flags: '--tags --all -p --prune -q --unshallow --no-tags -f --force' },
      'remote add': { value: '-t -m', flags: '-f --fetch --tags --no-tags' },
      'remote set-url': { flags: '--push --add --delete' },
      config: {
        value: '-f --file --blob --type --default',
        flags:
          '--global --system --local --worktree --add --unset --unset-all --replace-all --get --get-all -l --list ' +
          '--bool --int --path -z',
      },
      commit: {
        value: '-m --message -F --file --author --date -C -c --fixup --trailer',
        flags: '-a --all --amend --no-edit -s --signoff -q --allow-empty -n --no-verify',
      },
      tag: { value: '-m --message -F --file -u', flags: '-a -s -f -d -l' },
    },
    instead: [{ text: GIT_URL }],
  },
  npm: {
    value: '--registry --userconfig --prefix -w --workspace --tag --access --otp --loglevel --scope',
    flags:
      '-g --global --dry-run --provenance -f --force -y --yes -s --silent -q --quiet --ignore-scripts --no-audit ' +
      '--legacy-peer-deps -D --save-dev --production --workspaces',
    sub: { exec: { value: '-c --call --package', runs: {} } },
    instead: [{ text: NPMRC }],
  },
  yarn: { instead: [{ text: NPMRC }], sub: { dlx: { runs: {} }, exec: { runs: {} } } },
  pnpm: { instead: [{ text: NPMRC }], sub: { dlx: { runs: {} }, exec: { runs: {} } } },
  mysql: MYSQL,
  mysqldump: MYSQL,
  mysqladmin: MYSQL,
  psql: PSQL,
  pg_dump: PSQL,
  pg_restore: PSQL,
  ssh: {
    value: '-i -p -o -l -F -J -L -R -D -b -c -E -e -m -O -Q -S -W -w -B -I',
    flags: '-4 -6 -A -a -C -f -G -g -K -k -M -N -n -q -s -T -t -V -v -X -x -Y -y',
  },
  scp: { value: '-i -P -o -F -c -l -S -J -D', flags: '-3 -4 -6 -A -B -C -O -p -q -R -r -T -v' },
  rsync: {
    value:
      '-e --rsh --exclude --include --exclude-from --include-from -f --filter --password-file --rsync-path ' +
      '--chmod --chown -T --temp-dir --log-file --timeout --port --files-from --backup-dir --suffix --bwlimit ' +
      '--max-size --min-size --partial-dir --compare-dest --link-dest --out-format',
    flags:
      '-a --archive -v --verbose -z --compress -r --recursive -h --human-readable -P --progress --delete ' +
      '--delete-after --delete-excluded -n --dry-run -q --quiet -c --checksum -u --update -l -p -t -g -o -D -H ' +
      '-A -X --no-perms --no-owner --no-group --no-times --stats -i --itemize-changes --ignore-existing ' +
      '--inplace --partial --force -L -k -K --mkpath --remove-source-files',
    instead: [{ text: 'rsync reads the password from `RSYNC_PASSWORD` or `--password-file`' }],
  },
  sshpass: {
    value: '-p -f -d -P',
    flags: '-e -v',
    runs: {},
    instead: [{ text: 'sshpass reads the password from `SSHPASS` in its environment with `-e`' }],
  },
  skopeo: {
    value: '--override-arch --override-os --registries-conf --policy --command-timeout',
    flags: '--insecure-policy --debug',
    sub: {
      copy: {
        value:
          '--src-creds --dest-creds --src-authfile --dest-authfile --authfile --src-registry-token ' +
          '--dest-registry-token -f --format --src-cert-dir --dest-cert-dir --sign-by --multi-arch --retry-times ' +
          '--src-username --src-password --dest-username --dest-password --additional-tag',
        flags:
          '-a --all --preserve-digests --remove-signatures -q --quiet --src-no-creds --dest-no-creds ' +
          '--src-tls-verify --dest-tls-verify',
      },
      inspect: SKOPEO_IMAGE,
      'list-tags': SKOPEO_IMAGE,
      delete: SKOPEO_IMAGE,
      login: { ...CONTAINER_LOGIN, value: '-u --username -p --password --authfile' },
    },
    instead: [{ text: SKOPEO_AUTH }],
  },
  oras: {
    value:
      '-u --username -p --password --identity-token --registry-config -a --annotation --artifact-type --config ' +
      '-o --output',
    flags: '--password-stdin --identity-token-stdin --insecure --plain-http -d --debug -v --verbose',
    instead: [{ text: STDIN_LOGIN }],
  },
  crane: {
    value: '--platform',
    flags: '-v --verbose --insecure',
    sub: { 'auth login': CONTAINER_LOGIN },
    instead: [{ text: 'crane reads the password from stdin with `crane auth login --password-stdin`' }],
  },
  terraform: TERRAFORM,
  tofu: TERRAFORM,
  terragrunt: TERRAFORM,
  jq: {
    value: '--indent -f --from-file -L',
    pair: '--arg --argjson --slurpfile --rawfile',
    flags:
      '-r --raw-output -j --join-output -c --compact-output -n --null-input -e --exit-status -s --slurp ' +
      '-S --sort-keys -C -M -a -R --raw-input --tab',
    instead: [{ text: JQ_ENV }],
  },
  openssl: {
    value:
      '-in -out -pass -passin -passout -k -K -iv -md -inkey -certfile -name -CAfile -subj -days -key -signkey ' +
      '-keyform -inform -outform',
    flags:
      '-d -e -a -A -base64 -salt -nosalt -pbkdf2 -nodes -noenc -noout -text -legacy -p -P -nocerts -nokeys ' +
      '-clcerts -cacerts -export',
    instead: [{ text: OPENSSL_PASS }],
  },
  gpg: {
    value:
      '--passphrase --passphrase-file --passphrase-fd -u --local-user -r --recipient -o --output --pinentry-mode ' +
      '--default-key --homedir --import-options --export-options --keyserver',
    flags:
      '--batch --yes -a --armor -s --sign -b --detach-sign --detach-sig --clearsign -d --decrypt -e --encrypt ' +
      '-c --symmetric --import --verify --no-tty -q --quiet -k --list-keys -K --list-secret-keys --export ' +
      '--export-secret-keys --dearmor --with-colons --fingerprint',
    instead: [{ text: GPG_FD }],
  },
  security: {
    sub: {
      import: { value: '-k -P -T -f -t', flags: '-x -A', instead: [{ text: SECURITY_IMPORT }] },
      'create-keychain': { value: '-p', flags: '-P' },
      'unlock-keychain': { value: '-p', flags: '-u' },
      'set-key-partition-list': { value: '-S -k -a -c -D -l', flags: '-s' },
      'default-keychain': { value: '-s -d' },
    },
  },
  xcrun: {
    sub: {
      notarytool: {
        value:
          '--apple-id --password --team-id --key --key-id --issuer -p --keychain-profile --output-format --timeout ' +
          '--webhook --keychain',
        flags: '--wait --verbose',
        instead: [{ text: NOTARY_KEY }],
      },
    },
  },
  sed: { value: '-e --expression -f --file', flags: '-E -n -r -s -u -z --quiet --silent' },
  cargo: {
    value: '--token -p --package --features --registry --target --manifest-path --index',
    flags: '--locked --allow-dirty --no-verify --dry-run --all-features --workspace',
    sub: { login: { instead: [{ text: 'cargo login reads the token from stdin' }] } },
    instead: [{ text: fromEnv('CARGO_REGISTRY_TOKEN') }],
  },
  dotnet: {
    sub: {
      'nuget push': {
        value: '-k --api-key -s --source --symbol-source --symbol-api-key -t --timeout',
        flags: '--skip-duplicate --no-symbols -n --no-service-endpoint --interactive',
      },
    },
  },
  vsce: {
    value: '-p --pat --packagePath --target',
    flags: '--no-dependencies --pre-release',
    instead: envOnly('VSCE_PAT'),
  },
  ovsx: {
    value: '-p --pat --packagePath --target',
    flags: '--no-dependencies --pre-release',
    instead: envOnly('OVSX_PAT'),
  },
  twine: {
    value: '-u --username -p --password -r --repository --repository-url --comment -i --identity --config-file',
    flags: '--skip-existing --non-interactive --verbose -s --sign --disable-progress-bar',
    instead: envOnly('TWINE_PASSWORD'),
  },
  uv: {
    value: '--index-url --extra-index-url --default-index --index -p --python --directory --project',
    flags: '-q --quiet -v --verbose --frozen --locked --no-sync --system',
    sub: {
      run: {
        value: '--with --package --env-file --group --extra',
        flags: '--isolated --all-extras --no-dev',
        runs: {},
      },
      publish: {
        value: '--token -t --username -u --password -p --publish-url',
        instead: [{ text: fromEnv('UV_PUBLISH_TOKEN') }],
      },
    },
    instead: [
      {
        options: '--index-url --extra-index-url --default-index --index',
        text: 'uv reads index credentials from `UV_INDEX_<NAME>_PASSWORD` (or `UV_INDEX_URL`) in `env:`',
      },
    ],
  },
  uvx: { value: '--from --with -p --python', flags: '-q --quiet', runs: {} },
  pip: {
    value: '-i --index-url --extra-index-url -r --requirement -c --constraint -t --target',
    flags: '-q --quiet -U --upgrade --no-cache-dir --user -e --editable',
    instead: [{ text: 'pip reads `PIP_INDEX_URL` / `PIP_EXTRA_INDEX_URL` from its environment' }],
  },
  gradle: GRADLE,
  gradlew: GRADLE,
  mvn: MAVEN,
  mvnw: MAVEN,
  'sonar-scanner': { instead: envOnly('SONAR_TOKEN') },
  codecov: { value: '-t --token -f --file -F --flag -n --name', instead: envOnly('CODECOV_TOKEN') },
  turbo: { value: '--token --team --filter --concurrency', instead: envOnly('TURBO_TOKEN') },
  vercel: {
    value: '--token --scope -e --env -b --build-env -A --local-config --cwd',
    flags: '--prod --yes -y --prebuilt --force',
    instead: envOnly('VERCEL_TOKEN'),
  },
  netlify: {
    value: '--auth --site --dir -d -m --message --alias --functions',
    flags: '--prod --build --json',
    instead: envOnly('NETLIFY_AUTH_TOKEN'),
  },
  firebase: { value: '--token -P --project --only --message', flags: '--force --non-interactive' },
  flyctl: { value: '-t --access-token -a --app -c --config', instead: envOnly('FLY_API_TOKEN') },
  fly: { value: '-t --access-token -a --app -c --config', instead: envOnly('FLY_API_TOKEN') },
  heroku: { value: '-a --app -r --remote', instead: envOnly('HEROKU_API_KEY') },
  doctl: { value: '-t --access-token --context -o --output', instead: envOnly('DIGITALOCEAN_ACCESS_TOKEN') },
  'sentry-cli': { value: '--auth-token --url -o --org -p --project', instead: envOnly('SENTRY_AUTH_TOKEN') },
  wrangler: { instead: envOnly('CLOUDFLARE_API_TOKEN') },
  'pact-broker': {
    value: '-b --broker-base-url -u --broker-username -p --broker-password -k --broker-token -a --consumer-app-version',
    instead: envOnly('PACT_BROKER_PASSWORD'),
  },
  cr: { value: '-t --token -o --owner -r --git-repo -c --config', instead: envOnly('CR_TOKEN') },

  // Tools that run another command: their arguments up to it are theirs, the rest the command's.
  sudo: { value: '-u -g -C -D -h -p -r -t -U -T', flags: '-E -H -n -S -i -s -k -b -P', runs: { assignments: true } },
  env: { value: '-u --unset -C --chdir -S', flags: '-i -0 -v --ignore-environment', runs: { assignments: true } },
  time: { flags: '-p -v', runs: {} },
  nohup: { runs: {} },
  exec: { value: '-a', flags: '-c -l', runs: {} },
  command: { flags: '-p', runs: {} },
  timeout: {
    value: '-s --signal -k --kill-after',
    flags: '--foreground -v --verbose --preserve-status',
    runs: { skip: 1 },
  },
  nice: { value: '-n --adjustment', runs: {} },
  stdbuf: { value: '-i -o -e', runs: {} },
  xargs: {
    value: '-I -n --max-args -P --max-procs -L -d --delimiter -E -a --arg-file -s',
    flags: '-0 --null -r --no-run-if-empty -t --verbose -p -x',
    runs: {},
  },
  npx: { value: '-p --package -c', flags: '-y --yes --no -q --quiet', runs: {} },
  bunx: { runs: {} },
  pnpx: { runs: {} },
  poetry: { sub: { run: { runs: {} } } },
  pipenv: { sub: { run: { runs: {} } } },
  bundle: { sub: { exec: { runs: {} } } },
  python: PYTHON,
  python3: PYTHON,
  java: { value: '-cp -classpath --class-path', runs: { module: '-jar' } },
};

/** Container images that hold a known tool under another name. */
const IMAGE_TOOLS: Record<string, string> = { 'aws-cli': 'aws', 'azure-cli': 'az', 'cloud-sdk': 'gcloud' };

/** Flags that take no value in most tools: a positional argument after one is not its value. */
const COMMON_FLAGS = new Set(
  words(
    '--force --quiet --silent --verbose --yes --rm --dry-run --debug --help --version --insecure --global ' +
      '--recursive --all -q -v -y',
  ),
);

/** A tool's options for one invocation: its own and its subcommand's. */
export interface ResolvedTool {
  name: string;
  /** The subcommand, as a key of the tool's `sub` (`login`, `compose run`). */
  sub?: string;
  /** Index of the first argument after the subcommand's words. */
  subEnd: number;
  value: Set<string>;
  pair: Set<string>;
  flags: Set<string>;
  longValues: boolean;
  runs?: ToolSpec['runs'];
  container?: boolean;
  instead: Alternative[];
}

/** The program that receives an argument: the command itself, or the one a wrapper or container runs. */
export interface Receiver {
  name: string;
  /** Its arguments. */
  args: Word[];
  tool?: ResolvedTool;
  /** What runs it, when not the script itself: `docker run`, `python3 -m`. */
  via?: string;
}

function words(text: string | undefined): string[] {
  return (text ?? '').split(/\s+/).filter(Boolean);
}

/** An argument as the program sees it, quotes removed. */
function plain(word: Word | undefined): string {
  return (word?.text ?? '').replace(/^(["'])(.*)\1$/s, '$2');
}

function resolved(name: string, specs: ToolSpec[], sub: string | undefined, subEnd: number): ResolvedTool {
  const set = (key: 'value' | 'pair' | 'flags') => new Set(specs.flatMap((s) => words(s[key])));
  return {
    name,
    sub,
    subEnd,
    value: set('value'),
    pair: set('pair'),
    flags: set('flags'),
    longValues: specs.some((s) => s.longValues),
    runs: specs[0].runs,
    container: specs[0].container,
    instead: specs.flatMap((s) => s.instead ?? []),
  };
}

/** Whether an option takes a value in this tool: undefined when the tool does not say. */
function takesValue(tool: ResolvedTool, option: string): boolean | undefined {
  if (option.includes('=')) return false;
  if (tool.value.has(option) || tool.pair.has(option)) return true;
  if (tool.flags.has(option)) return false;
  if (tool.longValues && option.startsWith('--')) return true;
  // `-avz`, `-it`: single-letter flags run together, the last of which may take a value.
  if (/^-[A-Za-z]{2,}$/.test(option)) {
    const letters = [...option.slice(1)].map((c) => `-${c}`);
    if (letters.slice(0, -1).every((l) => tool.flags.has(l))) return takesValue(tool, letters.at(-1)!);
  }
  return undefined;
}

/** `name`'s options for these arguments, with its subcommand's; undefined for an unknown tool. */
export function resolveTool(name: string, args: Word[]): ResolvedTool | undefined {
  const spec = Object.hasOwn(TOOLS, name) ? TOOLS[name] : undefined;
  if (!spec) return undefined;
  const own = resolved(name, [spec], undefined, 0);
  const lead: { text: string; index: number }[] = [];
  for (let i = 0; i < args.length && lead.length < 3; i++) {
    const text = plain(args[i]);
    if (text.startsWith('-')) {
      if (takesValue(own, text)) i++;
      continue;
    }
    lead.push({ text, index: i });
  }
  let best: string[] | undefined;
  for (const key of Object.keys(spec.sub ?? {})) {
    const parts = key.split(' ');
    if (parts.every((p, k) => lead[k]?.text === p) && parts.length > (best?.length ?? 0)) best = parts;
  }
  if (!best) return own;
  const sub = best.join(' ');
  return resolved(name, [spec.sub![sub], spec], sub, lead[best.length - 1].index + 1);
}

/**
 * The option an argument is the value of, as written: `--header` for `--header "Authorization: …"`,
 * `--password` for `--password=…`. Undefined for a positional argument, and after a flag that takes
 * no value (`curl --retry-connrefused "$URL"`, `git config --global url.….insteadOf`).
 */
export function optionOf(tool: ResolvedTool | undefined, args: Word[], index: number): string | undefined {
  const text = plain(args[index]);
  const joined = /^(--[A-Za-z][\w.-]*)=/.exec(text);
  if (joined) return joined[1];
  if (text.startsWith('-')) return undefined;
  if (tool && index >= 2 && tool.pair.has(plain(args[index - 2]))) return plain(args[index - 2]);
  const previous = plain(args[index - 1]);
  if (index < 1 || !/^--?[A-Za-z][\w.-]*$/.test(previous)) return undefined;
  const known = tool && takesValue(tool, previous);
  if (known !== undefined) return known ? previous : undefined;
  return COMMON_FLAGS.has(previous) || previous.startsWith('--no-') ? undefined : previous;
}

/** How the tool takes a secret off its command line, for the option it is given to (`-` for none). */
export function alternativeOf(tool: ResolvedTool | undefined, option: string | undefined): string | undefined {
  const fits = (a: Alternative) =>
    a.options === undefined || words(a.options).includes(option ?? '-') || (a.options === '-*' && option !== undefined);
  return tool?.instead.find(fits)?.text.replace('{tool}', tool.name);
}

/**
 * Index of the first argument, from `from`, that is not an option or an option's value: the command
 * a wrapper runs, or the image a container starts. `skip` more positional words come first.
 */
function firstPositional(tool: ResolvedTool, args: Word[], from: number, skip = 0): number {
  for (let i = from; i < args.length; i++) {
    const text = plain(args[i]);
    if (text === '--') return i + 1 < args.length ? i + 1 : -1;
    if (text.startsWith('-')) {
      if (takesValue(tool, text)) i++;
      continue;
    }
    if (tool.runs?.assignments && /^[A-Za-z_]\w*=/.test(text)) continue;
    if (skip-- > 0) continue;
    return i;
  }
  return -1;
}

/** What a wrapper or a container runs: the index its arguments start after, and its name. */
function nested(tool: ResolvedTool, args: Word[]): { at: number; name: string; via?: string } | undefined {
  const { runs } = tool;
  if (runs?.module) {
    const at = args.findIndex((a) => plain(a) === runs.module);
    return at >= 0 && at + 1 < args.length
      ? { at: at + 1, name: basename(plain(args[at + 1])), via: `${tool.name} ${runs.module}` }
      : undefined;
  }
  if (runs?.separator) {
    const at = args.findIndex((a) => plain(a) === '--');
    return at >= 0 && at + 1 < args.length ? { at: at + 1, name: basename(plain(args[at + 1])) } : undefined;
  }
  if (runs) {
    const at = firstPositional(tool, args, tool.subEnd, runs.skip);
    return at >= 0 ? { at, name: basename(plain(args[at])) } : undefined;
  }
  if (!tool.container) return undefined;
  const image = firstPositional(tool, args, tool.subEnd);
  if (image < 0) return undefined;
  const via = `${tool.name} ${tool.sub}`;
  const inImage = imageTool(plain(args[image]));
  const command = plain(args[image + 1]);
  // `docker run IMAGE CMD …` runs CMD, unless the image is a tool whose subcommand follows (`skopeo/stable copy`).
  if (command && !command.startsWith('-') && (!inImage || Object.hasOwn(TOOLS, basename(command))))
    return { at: image + 1, name: basename(command), via };
  return { at: image, name: inImage ?? imageName(plain(args[image])), via };
}

/** `quay.io/skopeo/stable:v1` holds skopeo; `bitnami/kubectl` kubectl. */
function imageTool(image: string): string | undefined {
  const segments = image.replace(/[@:][^/]*$/, '').split('/');
  const known = segments.map((s) => IMAGE_TOOLS[s] ?? s).filter((s) => Object.hasOwn(TOOLS, s) && !TOOLS[s].runs);
  return known.at(-1);
}

/** `pactfoundation/pact-cli:latest` -> `pact-cli`. */
function imageName(image: string): string {
  return (
    image
      .replace(/[@:][^/]*$/, '')
      .split('/')
      .at(-1) ?? image
  );
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The program that receives `word`: the command, or what a wrapper (`sudo`, `timeout`, `xargs`), an
 * interpreter (`python3 -m twine`) or a container (`docker run IMAGE skopeo …`) runs with it, or a
 * known tool a script is handed (`./retry.sh 3 wget …`).
 */
export function receiverOf(command: Command, word: Word): Receiver {
  let name = basename(plain(command.nameWord) || command.name);
  let args = command.args;
  let via: string | undefined;
  for (let hop = 0; hop < 4; hop++) {
    const index = args.indexOf(word);
    const tool = resolveTool(name, args);
    const inner = tool && nested(tool, args);
    if (inner && index > inner.at) {
      via = inner.via ?? via;
      name = inner.name;
      args = args.slice(inner.at + 1);
      continue;
    }
    if ((tool && !tool.runs?.module) || hop > 0) return { name, args, tool, via };
    // A script handed a known tool and its arguments (`./retry.sh 3 wget --header …`, `python3 retry.py curl …`).
    const handed = args.findIndex((a, k) => k < index && /^[\w./-]+$/.test(a.text) && knownTool(basename(a.text)));
    if (handed < 0) return { name, args, tool, via };
    via = name;
    name = basename(args[handed].text);
    args = args.slice(handed + 1);
  }
  return { name, args, tool: resolveTool(name, args), via };
}

function knownTool(name: string): boolean {
  return Object.hasOwn(TOOLS, name) && !TOOLS[name].runs && !TOOLS[name].sub?.run;
}
