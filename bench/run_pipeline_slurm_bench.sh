#!/usr/bin/env bash
# Per-step overhead of the Slurm executor against a private single-node cluster
# (scripts/lib/slurm.sh), beside fork+exec of the same /bin/true:
#   bench/run_pipeline_slurm_bench.sh build/bench/pipeline_slurm_bench [STEPS] [BATCH]
# Runs twice: Slurm's default scheduler settings, then SchedulerParameters=batch_sched_delay=0
# (Slurm otherwise may wait up to 3 s to schedule a batch job). Needs root, slurm-wlm, munge.
set -euo pipefail
BENCH=$(readlink -f "${1:?usage: $0 path/to/pipeline_slurm_bench [STEPS] [BATCH]}")
STEPS=${2:-20}
BATCH=${3:-20}
WORK=$(mktemp -d /tmp/ferry-slurm-bench-XXXXXX)
source "$(dirname "$(readlink -f "$0")")/../scripts/lib/slurm.sh"
why=$(slurm_check) || {
  echo "$why" >&2
  exit 1
}
trap 'slurm_stop; rm -rf "$WORK"' EXIT

for params in "" "batch_sched_delay=0"; do
  echo "== SchedulerParameters=${params:-(Slurm default)}; load average $(cut -d' ' -f1-3 /proc/loadavg)"
  SLURM_SCHEDULER_PARAMETERS=$params slurm_start "$WORK/cluster" >/dev/null
  mkdir -p "$WORK/steps"
  "$BENCH" "$WORK/steps" "$STEPS" "$BATCH"
  slurm_stop
  rm -rf "$WORK/cluster" "$WORK/steps"
done
