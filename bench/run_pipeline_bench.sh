#!/usr/bin/env bash
# What the local executor adds per pipeline step, and what a cache hit costs:
#   bench/run_pipeline_bench.sh build/ferry [STEPS] [ROUNDS]
# Builds a chain of STEPS command steps (`/bin/true`, each depending on the one before, so they
# run one after another) and a one-step pipeline; times `ferry pipeline run` of each with the
# cache off (every step runs) and with every step a cache hit, and a shell loop that fork+execs
# /bin/true STEPS times (the floor). Per step = (chain - one step) / (STEPS - 1): the start of
# the ferry process, the YAML and the run record are paid once and cancel out.
set -euo pipefail
FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry [STEPS] [ROUNDS]}")
STEPS=${2:-41}
ROUNDS=${3:-5}
WORK=$(mktemp -d /tmp/ferry-pipeline-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT

chain() {  # chain DIR N: a pipeline of N sequential /bin/true steps
  mkdir -p "$1"
  {
    echo "name: chain"
    echo "concurrency: 1"
    echo "steps:"
    for ((i = 0; i < $2; i++)); do
      echo "  s$i:"
      echo "    kind: command"
      echo "    argv: [/bin/true, \"$i\"]"
      if ((i > 0)); then echo "    depends_on: [s$((i - 1))]"; fi
    done
  } >"$1/pipeline.yaml"
}
now_ms() { date +%s%3N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
time_run() {  # time_run DIR [FLAGS]: ms for one `ferry pipeline run`
  local t0
  t0=$(now_ms)
  "$FERRY" pipeline run -f "$1/pipeline.yaml" "${@:2}" >/dev/null 2>&1
  echo $(($(now_ms) - t0))
}
floor() {
  local t0
  t0=$(now_ms)
  for ((i = 0; i < STEPS; i++)); do /bin/true "$i"; done
  echo $(($(now_ms) - t0))
}

chain "$WORK/one" 1
chain "$WORK/many" "$STEPS"
time_run "$WORK/one" >/dev/null  # warm the cache and the page cache
time_run "$WORK/many" >/dev/null
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); $STEPS steps, $ROUNDS rounds (medians, ms)"
for mode in run cached; do
  flags=()
  [[ $mode == run ]] && flags=(--no-cache)
  one=$(for ((r = 0; r < ROUNDS; r++)); do time_run "$WORK/one" "${flags[@]}"; done | median)
  many=$(for ((r = 0; r < ROUNDS; r++)); do time_run "$WORK/many" "${flags[@]}"; done | median)
  per=$(awk -v a="$many" -v b="$one" -v n="$STEPS" 'BEGIN {printf "%.1f", (a - b) / (n - 1)}')
  echo "$mode: 1 step $one ms, $STEPS steps $many ms, per step $per ms"
done
f=$(for ((r = 0; r < ROUNDS; r++)); do floor; done | median)
echo "floor: $STEPS x fork+exec /bin/true from a shell $f ms, per step $(awk -v a="$f" -v n="$STEPS" 'BEGIN {printf "%.2f", a / n}') ms"
