#!/usr/bin/env bash
# `ferry monitor drift` and `ferry monitor bias` on real files: the JSON shape, values from the
# reference vectors and by hand, overrides, strict mode, exit codes and precise errors.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

# expect_rc CODE CMD...: runs CMD, fails unless it exits with CODE; stdout in $out, stderr in $err.
expect_rc() {
  local want=$1 rc=0
  shift
  "$@" >out.txt 2>err.txt || rc=$?
  out=$(cat out.txt) err=$(cat err.txt)
  [[ $rc == "$want" ]] || fail "$* -> exit $rc, want $want: $out $err"
}
# near GOT WANT: relative difference <= 1e-9.
near() { node -e "const g=+process.argv[1],w=+process.argv[2];process.exit(Math.abs(g-w)<=1e-9*Math.abs(w)?0:1)" "$1" "$2" ||
  fail "got $1, want $2"; }

# Categorical: reference 120/60/20, current 40/35/25 (reference monitoring.md 1.5, pitfall 1);
# numeric x: [0,1,3] vs [5,6,8] padded to the same rows.
python3 - <<'PY'
import random
rows = [("a", 120), ("b", 60), ("c", 20)]
with open("ref.csv", "w") as f:
    f.write("city,x,notes\n")
    i = 0
    for v, n in rows:
        for _ in range(n):
            f.write(f"{v},{[0, 1, 3][i % 3] + 0.5},free text {i}\n"); i += 1
with open("cur.csv", "w") as f:
    f.write("city,x,notes\n")
    i = 0
    for v, n in [("a", 40), ("b", 35), ("c", 25)]:
        for _ in range(n):
            f.write(f"{v},{[5, 6, 8][i % 3] + 0.5},other {i}\n"); i += 1
PY

# Default: chisquare (goodness of fit) on city; ks on x (floats, 6 distinct values over both
# sides); notes is text (every value distinct): not tested.
expect_rc 0 "$FERRY" monitor drift --reference ref.csv --current cur.csv --format json
j=$out
[[ $(printf '%s' "$j" | json 'Object.keys(j).join(",")') == dataset_drift,drift_share,number_of_columns,number_of_drifted_columns,columns ]] ||
  fail "top-level keys: $j"
[[ $(printf '%s' "$j" | json 'Object.keys(j.columns).join(",")') == city,x ]] || fail "columns: $j"
[[ $(printf '%s' "$j" | json 'Object.keys(j.columns.city).join(",")') == column_type,stattest,statistic,p_value,threshold,drift_detected ]] ||
  fail "column keys: $j"
[[ $(printf '%s' "$j" | json '[j.columns.city.column_type,j.columns.city.stattest,j.columns.city.threshold,j.columns.city.drift_detected].join(",")') == cat,chisquare,0.05,true ]] ||
  fail "city: $j"
near "$(printf '%s' "$j" | json 'j.columns.city.p_value')" 3.059023205e-07
near "$(printf '%s' "$j" | json 'j.columns.city.statistic')" 30
[[ $(printf '%s' "$j" | json '[j.columns.x.column_type,j.columns.x.stattest,j.columns.x.statistic].join(",")') == num,ks,1 ]] ||
  fail "x: $j"
[[ $(printf '%s' "$j" | json '[j.dataset_drift,j.drift_share,j.number_of_columns,j.number_of_drifted_columns].join(",")') == true,1,2,2 ]] ||
  fail "dataset: $j"
[[ $err == *"column 'notes' not tested: text column"* ]] || fail "text column warning: $err"

# Strict: chi-squared homogeneity.
expect_rc 0 "$FERRY" monitor drift --reference ref.csv --current cur.csv --format json --strict --columns city
[[ $(printf '%s' "$out" | json 'j.columns.city.stattest') == chi2_homogeneity ]] || fail "strict: $out"
near "$(printf '%s' "$out" | json 'j.columns.city.p_value')" 0.0004251119998

# Overrides: a distance has p_value null; --threshold applies to every column; per-column test.
expect_rc 0 "$FERRY" monitor drift --reference ref.csv --current cur.csv --format json \
  --stattest jensenshannon --stattest-column x=wasserstein --threshold 5 --columns x,city
[[ $(printf '%s' "$out" | json '[j.columns.x.stattest,j.columns.x.p_value,j.columns.x.threshold,j.columns.x.drift_detected,j.columns.city.stattest,j.dataset_drift].join(",")') == wasserstein,,5,false,jensenshannon,false ]] ||
  fail "overrides: $out"
printf 'x\n0\n1\n3\n' >w_ref.csv
printf 'x\n5\n6\n8\n' >w_cur.csv
expect_rc 0 "$FERRY" monitor drift --reference w_ref.csv --current w_cur.csv --format json --stattest wasserstein
near "$(printf '%s' "$out" | json 'j.columns.x.statistic')" 4.008918629
[[ $(printf '%s' "$out" | json 'j.columns.x.p_value === null') == true ]] || fail "p_value null: $out"

# Text output, and the exit codes: 0 with drift, 1 with --fail-on-drift, 2 on usage errors.
expect_rc 0 "$FERRY" monitor drift --reference ref.csv --current cur.csv
[[ $out == "Dataset drift detected: Drift is detected for 100% of columns (2 out of 2)"* ]] || fail "text: $out"
[[ $out == *"notes: not tested, text column"* ]] || fail "text skipped: $out"
expect_rc 1 "$FERRY" monitor drift --reference ref.csv --current cur.csv --fail-on-drift
expect_rc 0 "$FERRY" monitor drift --reference ref.csv --current ref.csv --fail-on-drift
[[ $out == "Dataset drift NOT detected"* ]] || fail "same data: $out"
expect_rc 2 "$FERRY" monitor drift --reference ref.csv
[[ $err == *"--reference and --current are required"* ]] || fail "missing flag: $err"
expect_rc 2 "$FERRY" monitor drift --reference ref.csv --current cur.csv --stattest anderson
[[ $err == *"unknown stattest 'anderson' (available: ks, chisquare"* ]] || fail "bad stattest: $err"
expect_rc 2 "$FERRY" monitor drift --reference ref.csv --current cur.csv --stattest-column x
[[ $err == *'--stattest-column "x": expected COL=NAME'* ]] || fail "bad override: $err"
expect_rc 2 "$FERRY" monitor drift --reference ref.csv --current cur.csv --threshold abc
expect_rc 2 "$FERRY" monitor drift --reference ref.csv --current cur.csv --drift-share 0

# Errors name the column: ks on text, a column missing from the current data, missing files.
expect_rc 1 "$FERRY" monitor drift --reference ref.csv --current cur.csv --stattest ks --columns city
[[ $err == *"column 'city': stattest 'ks' needs numerical values"* ]] || fail "ks on text: $err"
printf 'city\na\n' >short.csv
expect_rc 1 "$FERRY" monitor drift --reference ref.csv --current short.csv
[[ $err == *"column 'x': not in the current data"* ]] || fail "missing column: $err"
expect_rc 1 "$FERRY" monitor drift --reference nope.csv --current cur.csv
[[ $err == *"nope.csv"* ]] || fail "missing file: $err"
printf 'FRPF\000\001\002' >bin.dat  # binary, but neither a profile (FYPF) nor a package
expect_rc 1 "$FERRY" monitor drift --reference bin.dat --current cur.csv
[[ $err == *"not a CSV, TSV or JSON-lines file"* ]] || fail "binary reference: $err"

# Degenerate data: all-missing and constant columns get defined answers, never NaN.
printf 'a,b,c\n,1,k\n,1,k\n,1,k\n' >deg_ref.csv
printf 'a,b,c\n,1,k\n,1,k\n' >deg_cur.csv
expect_rc 0 "$FERRY" monitor drift --reference deg_ref.csv --current deg_cur.csv --format json
[[ $out != *NaN* && $out != *Infinity* ]] || fail "non-finite: $out"
[[ $(printf '%s' "$out" | json '[Object.keys(j.columns).join("+"),j.columns.b.stattest,j.columns.b.p_value,j.dataset_drift].join(",")') == b+c,z,1,false ]] ||
  fail "degenerate: $out"
[[ $err == *"column 'a' not tested: no valid values in the reference data (3 missing or infinite)"* ]] ||
  fail "all-missing: $err"

# JSON lines and TSV read the same way.
printf '{"x": 1.5}\n{"x": 2.5}\n{"x": 3.25}\n' >r.jsonl
printf 'x\n1.5\n2.5\n3.25\n' >c.tsv
expect_rc 0 "$FERRY" monitor drift --reference r.jsonl --current c.tsv --format json
[[ $(printf '%s' "$out" | json 'j.columns.x.p_value') == 1 ]] || fail "jsonl/tsv: $out"

# ---- bias: worked by hand (same numbers as bias_test.cc) ----
cat >pred.csv <<'CSV'
group,pred,label
A,1,1
A,1,0
A,0,1
A,0,0
B,0,1
B,0,1
B,0,0
B,1,0
CSV
expect_rc 0 "$FERRY" monitor bias --data pred.csv --segment group --prediction pred --label label --format json
[[ $(printf '%s' "$out" | json 'j.segments.map(s=>[s.segment,s.count,s.positive_rate,s.accuracy,s.recall].join(":")).join(" ")') == "A:4:0.5:0.5:0.5 B:4:0.25:0.25:0" ]] ||
  fail "bias segments: $out"
[[ $(printf '%s' "$out" | json '[j.task,j.positive,j.gaps.demographic_parity_difference,j.gaps.demographic_parity_ratio,j.gaps.equal_opportunity_difference].join(",")') == classification,1,0.25,0.5,0.5 ]] ||
  fail "bias gaps: $out"
expect_rc 1 "$FERRY" monitor bias --data pred.csv --segment group --prediction pred --label label --threshold 0.3
[[ $out == *"equal_opportunity_difference = 0.5"* && $out == *"1 gap(s) exceed 0.3"* ]] || fail "bias threshold: $out"
expect_rc 0 "$FERRY" monitor bias --data pred.csv --segment group --prediction pred --threshold 0.3
expect_rc 2 "$FERRY" monitor bias --data pred.csv --segment group
expect_rc 1 "$FERRY" monitor bias --data pred.csv --segment nope --prediction pred
[[ $err == *"segment column 'nope' is not in the data"* ]] || fail "bias column: $err"
printf 'g,y,p\nA,3,2\nA,5,5\nB,1,4\n' >reg.csv
expect_rc 0 "$FERRY" monitor bias --data reg.csv --segment g --prediction p --label y --format json
[[ $(printf '%s' "$out" | json '[j.task,j.segments[0].prediction_mean,j.segments[0].mae,j.segments[1].rmse,j.gaps.prediction_mean_difference,j.gaps.mae_difference].join(",")') == regression,3.5,0.5,3,0.5,2.5 ]] ||
  fail "regression bias: $out"

# report: usage errors exit 2 before anything is read or written.
expect_rc 2 "$FERRY" monitor report --reference ref.csv --current cur.csv
expect_rc 2 "$FERRY" monitor report --reference ref.csv --current cur.csv -o r.html --segment group
[[ $err == *"--segment and --prediction are required"* && ! -e r.html ]] || fail "report usage: $err"
echo "monitor_drift: ok"
