#!/usr/bin/env bash
# Cold start of `ferry predict` for a built-in logistic package: exec to exit with one MLflow
# dataframe_split row on stdin, beside a C program that returns at once (the exec floor), in
# turn, ROUNDS pairs:
#   bench/run_predict_cold_bench.sh build/ferry build/bench/exec_timing [ROUNDS]
set -euo pipefail
FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry path/to/exec_timing [ROUNDS]}")
TIMER=$(readlink -f "${2:?usage: $0 path/to/ferry path/to/exec_timing [ROUNDS]}")
ROUNDS=${3:-50}
DATA=$(readlink -f "$(dirname "$0")/../tests/data/breast_cancer.csv")
WORK=$(mktemp -d /tmp/ferry-cold-bench-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

"$FERRY" train logistic --data "$DATA" --target target --no-tracking -o lr.oci >train.log 2>&1
node -e '
  const [h, r] = require("fs").readFileSync(process.argv[1], "utf8").split("\n");
  const names = h.split(","), vals = r.split(",").map(Number), t = names.indexOf("target");
  const columns = names.filter((_, i) => i !== t), row = vals.filter((_, i) => i !== t);
  console.log(JSON.stringify({dataframe_split: {columns, data: [row]}}));' "$DATA" >row.json
printf 'int main(void) { return 0; }\n' >true.c
cc -O2 -o c_true true.c
"$TIMER" "$ROUNDS" row.json -- "$FERRY" predict lr.oci -- ./c_true
