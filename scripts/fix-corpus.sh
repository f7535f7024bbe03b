#!/usr/bin/env bash
# Fixes a copy of a corpus of workflows and checks the fixer's promises on it: every file still
# validates (no new syntax-error), every line outside the edited regions is unchanged
# (scripts/fix-corpus-lines.ts says exactly what that means), a second --fix changes nothing, and
# actionlint reports no new kind of error on the changed files.   Usage: scripts/fix-corpus.sh DIR
set -euo pipefail
src=$(cd "$1" && pwd); root="$(cd "$(dirname "$0")/.." && pwd)"; cli="$root/dist/cli.js"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -r "$src" "$work/corpus"
count() { node -e 'const d=require(process.argv[1]);let n=0;for(const f of d.files)for(const x of f.findings)if(x.rule==="syntax-error")n++;console.log(n)' "$1"; }
node "$cli" --format json -o "$work/before.json" "$work/corpus" >/dev/null || true
start=$(date +%s.%N)
node "$cli" --fix --unsafe-fixes --format json -o "$work/after.json" "$work/corpus" >/dev/null 2>"$work/summary.txt" || true; cat "$work/summary.txt"
echo "fix wall time: $(echo "$(date +%s.%N) - $start" | bc) s"
echo "syntax-error findings: before $(count "$work/before.json"), after $(count "$work/after.json")"
mapfile -t changed < <(cd "$src" && diff -rq . "$work/corpus" | awk '/differ/ {print $2}' | sed 's#^\./##')
# The line check fixes each changed file again in process, from the sources, bundled like the CLI.
"$root/node_modules/.bin/esbuild" "$root/scripts/fix-corpus-lines.ts" --bundle --platform=node --format=esm --log-level=warning \
  --outfile="$work/lines/fix-corpus-lines.mjs" --banner:js="import { createRequire as __wfCreateRequire } from 'node:module'; const require = __wfCreateRequire(import.meta.url);"
cp "$root"/dist/*.wasm "$work/lines/"
node "$work/lines/fix-corpus-lines.mjs" "$src" "$work/corpus" "${changed[@]}" || true
second=$(node "$cli" --fix --unsafe-fixes --format json -o /dev/null "$work/corpus" 2>&1 >/dev/null | head -1 || true)
echo "second --fix: $second"
if [ -x "${ACTIONLINT:-}" ]; then
  new=0
  kinds() { "$ACTIONLINT" -no-color -shellcheck= -pyflakes= -format '{{range $e := .}}{{$e.Kind}} {{$e.Message}}{{"\n"}}{{end}}' "$1" 2>/dev/null | sort -u; }
  for f in "${changed[@]}"; do
    extra=$(comm -13 <(kinds "$src/$f") <(kinds "$work/corpus/$f"))
    if [ -n "$extra" ]; then new=$((new + 1)); echo "new actionlint error in $f: $extra"; fi
  done
  echo "changed files with a new kind of actionlint error: $new"
fi
