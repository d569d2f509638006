#!/usr/bin/env bash
# scripts/lib/slurm.sh: two private clusters start side by side (own dirs, ports, munge keys),
# each runs `sbatch --wrap 'echo hi'` to COMPLETED with its output file, and after slurm_stop
# no process of either cluster is left (daemons, job steps). Exits 77 (skip) without Slurm,
# unless CI or FERRY_REQUIRE_SLURM=1 is set; a cluster that cannot start fails with its logs.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/ferry-slurm-harness-XXXXXX)
source "$HERE/../../scripts/lib/slurm.sh"
slurm_require_or_skip

fail() {
  echo "FAIL: $*" >&2
  slurm_logs >&2
  exit 1
}
OTHER_PID=""
cleanup() {
  slurm_stop
  if [[ -n $OTHER_PID ]]; then
    kill "$OTHER_PID" 2>/dev/null || true
    wait "$OTHER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# run_one NAME: a whole cluster life cycle in this shell; prints "ok NAME" at the end.
run_one() {
  local name=$1 dir=$WORK/$1 job state
  slurm_start "$dir/cluster" || fail "$name: the Slurm cluster did not start"
  mkdir -p "$dir/jobs"
  [[ $(sinfo -h -o %P) == "$SLURM_PARTITION*" ]] || fail "$name: partition $(sinfo -h -o %P)"
  job=$(cd "$dir/jobs" && sbatch --parsable --output="$dir/jobs/out-%j.txt" --wrap 'echo hi') ||
    fail "$name: sbatch failed"
  [[ $job =~ ^[0-9]+$ ]] || fail "$name: sbatch --parsable printed '$job'"
  for _ in $(seq 1 150); do
    state=$(squeue -h -t all -j "$job" -o %T)
    [[ $state == COMPLETED || $state == FAILED || $state == CANCELLED ]] && break
    sleep 0.2
  done
  [[ $state == COMPLETED ]] || fail "$name: job $job is '$state', not COMPLETED"
  [[ $(cat "$dir/jobs/out-$job.txt") == hi ]] || fail "$name: output '$(cat "$dir/jobs/out-$job.txt")'"
  # A running job at stop time: slurm_stop must cancel it (its slurmstepd outlives slurmd).
  job=$(sbatch --parsable --output=/dev/null --wrap 'sleep 300')
  for _ in $(seq 1 100); do
    [[ $(squeue -h -j "$job" -o %T) == RUNNING ]] && break
    sleep 0.1
  done
  local dir_of_cluster=$SLURM_DIR
  slurm_stop
  [[ -z ${SLURM_CONF:-} ]] || fail "$name: SLURM_CONF still set after slurm_stop"
  # Nothing that names this cluster's directory (daemons by command line, job processes by
  # their environment) is left.
  # (the pattern comes from a file, so grep's own command line does not match it).
  local left
  echo "$dir_of_cluster" >"$dir/pattern"
  left=$(grep -lsF -f "$dir/pattern" /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null || true)
  [[ -z $left ]] || fail "$name: processes left after slurm_stop: $left $(for f in $left; do
    tr '\0' ' ' <"${f%/*}/cmdline"
    echo
  done)"
  echo "ok $name"
}

# The second cluster starts in a subshell while the first one starts here.
(
  trap slurm_stop EXIT
  trap 'exit 143' TERM
  run_one b
) >"$WORK/b.log" 2>&1 &
OTHER_PID=$!
run_one a
wait "$OTHER_PID" || {
  cat "$WORK/b.log" >&2
  OTHER_PID=""
  fail "the parallel cluster failed"
}
OTHER_PID=""
grep -q "^ok b$" "$WORK/b.log" || fail "parallel cluster: $(cat "$WORK/b.log")"
echo "slurm harness: two clusters side by side, jobs ran, nothing left"
