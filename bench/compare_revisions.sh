#!/usr/bin/env bash
# Before/after in one run: the same benchmarks on a baseline revision and on the working tree,
# interleaved (baseline, current, baseline, current, ...), with the machine's load printed
# before each. The baseline is checked out in a temporary git worktree sharing .venv.
#   bash bench/compare_revisions.sh BASE_REV [ROUNDS] -- "bench_versions.py --saves 200" "bench_issue.py --documents 20"
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?uso: bash bench/compare_revisions.sh REVISIÓN_BASE [RONDAS] -- "bench_x.py args" ...}
shift
rounds=2
if [[ ${1:-} =~ ^[0-9]+$ ]]; then rounds=$1; shift; fi
[[ ${1:-} == "--" ]] && shift
benches=("$@")
((${#benches[@]})) || benches=("bench_versions.py --saves 200" "bench_issue.py --documents 20")
tree=$(mktemp -d)
trap 'git worktree remove --force "$tree" >/dev/null 2>&1 || true' EXIT
git worktree add -q --detach "$tree" "$base"
ln -s "$PWD/.venv" "$tree/.venv"
for round in $(seq 1 "$rounds"); do
  for side in "$tree" "$PWD"; do
    label=$([[ $side == "$PWD" ]] && echo "actual" || echo "base")
    echo "=== ronda $round: $label $(git -C "$side" rev-parse --short HEAD)" \
         "(carga: $(cut -d' ' -f1-3 /proc/loadavg))"
    for bench in "${benches[@]}"; do
      read -r -a args <<< "$bench"
      (cd "$side" && .venv/bin/python "bench/${args[0]}" "${args[@]:1}")
    done
  done
done
