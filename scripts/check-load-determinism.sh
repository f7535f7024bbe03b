#!/usr/bin/env bash
# Checks that wf-lint's report does not depend on the machine's load: lints DIR alone, then beside
# LOOPS busy-loop processes (default 4), and compares the JSON reports byte for byte. Both runs use
# the default thread count, as users run it.   Usage: scripts/check-load-determinism.sh CLI DIR [LOOPS]
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,4p' "$0"; exit 2; }
cli=$(realpath "$1"); dir=$(realpath "$2"); loops=${3:-4}
work=$(mktemp -d); pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
lint() { (cd "$dir" && node "$cli" --format json . >"$work/$1.json" 2>"$work/$1.err") || true; }
start=$(date +%s.%N); lint alone; alone=$(echo "$(date +%s.%N) - $start" | bc)
for _ in $(seq "$loops"); do node -e 'for (;;);' & pids+=("$!"); done
start=$(date +%s.%N); lint loaded; loaded=$(echo "$(date +%s.%N) - $start" | bc)
echo "alone: ${alone} s, beside $loops busy loops: ${loaded} s; $(wc -c <"$work/alone.json") bytes of JSON"
if cmp -s "$work/alone.json" "$work/loaded.json" && cmp -s "$work/alone.err" "$work/loaded.err"; then
  echo "identical"
else
  echo "DIFFERENT"; diff <(tr '{' '\n' <"$work/alone.json") <(tr '{' '\n' <"$work/loaded.json") | head -20; exit 1
fi
