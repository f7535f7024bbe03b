#!/usr/bin/env bash
# Checks that two builds of wf-lint report a corpus byte for byte alike: the stylish, json, sarif and
# github formats, and `--fix-dry-run --unsafe-fixes` (diff and report), with their exit codes. Both
# run one-threaded from the same directory with the same arguments, so paths and order match.
#   Usage: scripts/compare-outputs.sh BASE_CLI NEW_CLI CORPUS
#   BASE_CLI, NEW_CLI: a build's dist/cli.cjs (e.g. a copy of main's dist/ and this checkout's).
#   KEEP=DIR keeps the outputs in DIR (DIR/base, DIR/new) and reuses DIR/base from an earlier run;
#   MODES="json sarif" compares only those (default: all five).
# Builds before issue 20 bounded shell parsing by wall-clock time, so on a loaded machine their report
# can gain "took longer than N ms to parse" warnings: such a base run is repeated (up to 5 times).
set -euo pipefail
[ $# -eq 3 ] || { sed -n '2,10p' "$0"; exit 2; }
base=$(realpath "$1"); new=$(realpath "$2"); corpus=$(realpath "$3")
out=${KEEP:-$(mktemp -d)}; [ -n "${KEEP:-}" ] || trap 'rm -rf "$out"' EXIT
mkdir -p "$out/base" "$out/new"
read -r -a modes <<<"${MODES:-stylish json sarif github fix-dry-run}"
run() { # CLI DIR MODE: writes DIR/MODE.out (stdout), DIR/MODE.err (stderr) and DIR/MODE.code (exit code)
  local args=(--format "$3")
  [ "$3" = fix-dry-run ] && args=(--fix-dry-run --unsafe-fixes)
  local code=0
  (cd "$corpus" && WF_LINT_THREADS=1 NO_COLOR=1 node "$1" "${args[@]}" . >"$2/$3.out" 2>"$2/$3.err") || code=$?
  echo "$code" >"$2/$3.code"
}
differ=0
for mode in "${modes[@]}"; do
  for try in 1 2 3 4 5; do
    if [ -s "$out/base/$mode.code" ]; then
      grep -qs 'took longer than [0-9]* ms to parse' "$out/base/$mode".{out,err} || break
      echo "base $mode, try $try: a load-dependent parse-time warning, run again"
    fi
    run "$base" "$out/base" "$mode"
  done
  run "$new" "$out/new" "$mode"
  for part in out err code; do
    if cmp -s "$out/base/$mode.$part" "$out/new/$mode.$part"; then continue; fi
    differ=1
    echo "DIFFERENT: $mode ($part)"
    diff "$out/base/$mode.$part" "$out/new/$mode.$part" | head -20 || true
  done
  echo "$mode: $(wc -c <"$out/new/$mode.out") bytes, exit $(cat "$out/new/$mode.code")"
done
[ "$differ" = 0 ] && echo "identical: ${modes[*]}"
exit "$differ"
