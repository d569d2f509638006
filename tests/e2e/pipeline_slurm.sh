#!/usr/bin/env bash
# `ferry pipeline run --executor slurm` on a real single-node cluster (scripts/lib/slurm.sh):
# a DAG of command steps runs as batch jobs and passes outputs on through the shared work
# directories; a second run is all cache hits (nothing reaches Slurm); a failing step is
# retried as a new job and its dependant skipped; a step past its timeout is timed out.
# Exits 77 (skip) without Slurm unless CI or FERRY_REQUIRE_SLURM=1 is set.
set -euo pipefail
FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
WORK=$(mktemp -d /tmp/ferry-pipeline-slurm-XXXXXX)
source "$(dirname "$0")/../../scripts/lib/slurm.sh"
slurm_require_or_skip
trap 'slurm_stop; rm -rf "$WORK"' EXIT
fail() {
  echo "FAIL: $*" >&2
  slurm_logs >&2 || true
  exit 1
}
slurm_start "$WORK/cluster" || fail "the Slurm cluster did not start"
cd "$WORK"

echo "hello" >raw.txt
cat >pipeline.yaml <<'YAML'
name: onslurm
executor: slurm
steps:
  upper:
    kind: command
    argv: [sh, -c, "tr a-z A-Z < ${inputs.raw} > ${outputs.up}; echo \"job $SLURM_JOB_ID\""]
    inputs: {raw: raw.txt}
    outputs: {up: up.txt}
  count:
    kind: command
    argv: [sh, -c, "wc -c < ${inputs.up} > ${outputs.n}"]
    inputs: {up: steps.upper.outputs.up}
    outputs: {n: n.txt}
YAML
"$FERRY" pipeline run >run1.txt 2>&1 || { cat run1.txt; fail "first run"; }
grep -q "2 steps: 2 ran, 0 cached, 0 failed" run1.txt || fail "$(cat run1.txt)"
RUN=$("$FERRY" pipeline list | awk 'NR==2 {print $1}')
[[ $(cat .ferry/pipelines/runs/$RUN/steps/count/n.txt) == 6 ]] || fail "outputs between jobs"
grep -q "^job [0-9]" .ferry/pipelines/runs/$RUN/logs/upper.log || fail "not a Slurm job"
"$FERRY" pipeline run >run2.txt 2>&1 || fail "second run"
grep -q "2 steps: 0 ran, 2 cached" run2.txt || fail "$(cat run2.txt)"

cat >flaky.yaml <<'YAML'
name: flaky
executor: slurm
steps:
  broken:
    kind: command
    argv: [sh, -c, "exit 3"]
    retries: 1
  after:
    kind: command
    argv: ["true"]
    depends_on: [broken]
  slow:
    kind: command
    argv: [sleep, "300"]
    timeout: 2
YAML
set +e
"$FERRY" pipeline run -f flaky.yaml >flaky.txt 2>&1
status=$?
set -e
((status == 1)) || fail "exit $status: $(cat flaky.txt)"
FRUN=$("$FERRY" pipeline list -f flaky.yaml | awk 'NR==2 {print $1}')
"$FERRY" pipeline status -f flaky.yaml "$FRUN" >status.txt
grep -Eq "broken +command +failed +2 .*attempt 2: exit 3" status.txt || fail "$(cat status.txt)"
grep -Eq "after +command +skipped" status.txt || fail "$(cat status.txt)"
grep -Eq "slow +command +failed +1 .*timed out" status.txt || fail "$(cat status.txt)"
echo "pipeline_slurm: OK"
