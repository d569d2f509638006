#!/usr/bin/env bash
# `ferry monitor drift` and `ferry monitor report` with a profile or a package as --reference:
# the same JSON shape as with data, sketch_ks / jensenshannon verdicts (no drift on a fresh
# sample of the same distribution, drift on a 0.5-sigma shift and a category shift), the
# report saying that the reference is a profile, the options sketches cannot honour refused
# as usage errors (exit 2), and a package without a reference profile refused (exit 1).
source "$(dirname "$0")/lib.sh"
cd "$WORK"

expect_rc() {
  local want=$1 rc=0
  shift
  "$@" >out.txt 2>err.txt || rc=$?
  out=$(cat out.txt) err=$(cat err.txt)
  [[ $rc == "$want" ]] || fail "$* -> exit $rc, want $want: $out $err"
}

python3 - <<'PY'
import math
def write(path, n, seed, shift, cities):
    s = seed
    def u():
        nonlocal s
        s = (1664525 * s + 1013904223) % 2**32
        return (s + 0.5) / 2**32
    with open(path, "w") as f:
        f.write("x,city,k\n")
        for i in range(n):
            x = math.sqrt(-2 * math.log(u())) * math.cos(2 * math.pi * u()) + shift
            r, c = u(), "paris"
            for name, p in cities:
                if r < p:
                    c = name
                    break
                r -= p
            f.write(f"{x:.6f},{c},{i % 4}\n")
base = [("paris", 0.5), ("lyon", 0.3), ("nice", 0.2)]
write("ref.csv", 10000, 1, 0.0, base)
write("same.csv", 10000, 2, 0.0, base)
write("shifted.csv", 10000, 3, 0.5, [("paris", 0.2), ("lyon", 0.3), ("nice", 0.5)])
PY

"$FERRY" monitor profile ref.csv -o ref.profile 2>/dev/null || fail "profile"
mkdir model && head -c 100 /dev/urandom >model/model.onnx
"$FERRY" package build model --name demo --version 1 --created 2025-01-01T00:00:00Z \
  --reference-data ref.csv -o pkg.oci >/dev/null 2>&1 || fail "package build"
"$FERRY" package export pkg.oci -o pkg.tar || fail "export"
"$FERRY" package build model --name bare --version 1 -o bare.oci >/dev/null 2>&1 || fail "bare build"

# Same distribution: no drift, from the data, the profile, the package directory and its tar.
for r in ref.csv ref.profile pkg.oci pkg.tar; do
  expect_rc 0 "$FERRY" monitor drift --reference "$r" --current same.csv --format json
  [[ $(json 'Object.keys(j).join(",")' <<<"$out") == \
    "dataset_drift,drift_share,number_of_columns,number_of_drifted_columns,columns" ]] ||
    fail "$r: JSON keys: $out"
  [[ $(json 'j.dataset_drift+" "+j.number_of_drifted_columns+" "+j.number_of_columns' <<<"$out") == \
    "false 0 3" ]] || fail "$r: same distribution drifted: $out"
done
# With a profile reference: sketch_ks on x (num), jensenshannon on city and k (cat), no p-value.
expect_rc 0 "$FERRY" monitor drift --reference ref.profile --current same.csv --format json
[[ $(json 'Object.keys(j.columns.x).join(",")' <<<"$out") == \
  "column_type,stattest,statistic,p_value,threshold,drift_detected" ]] || fail "column keys: $out"
[[ $(json '[j.columns.x.column_type,j.columns.x.stattest,j.columns.x.p_value,j.columns.city.column_type,j.columns.city.stattest,j.columns.k.column_type].join(" ")' <<<"$out") == \
  "num sketch_ks  cat jensenshannon cat" ]] || fail "tests: $out"
json 'j.columns.x.threshold > j.columns.x.statistic && j.columns.x.threshold < 0.1 || process.exit(1)' <<<"$out" >/dev/null ||
  fail "sketch_ks threshold: $out"

# Shifted: x and city drift, k does not; the dataset drifts (2 of 3 >= 0.5).
for r in ref.profile pkg.oci pkg.tar; do
  expect_rc 0 "$FERRY" monitor drift --reference "$r" --current shifted.csv --format json
  [[ $(json '[j.dataset_drift,j.columns.x.drift_detected,j.columns.city.drift_detected,j.columns.k.drift_detected,j.number_of_drifted_columns].join(" ")' <<<"$out") == \
    "true true true false 2" ]] || fail "$r: shifted: $out"
done
expect_rc 1 "$FERRY" monitor drift --reference pkg.oci --current shifted.csv --fail-on-drift
[[ $out == "Dataset drift detected"* && $out == *"x (num): drift, sketch_ks distance="* ]] ||
  fail "text output: $out"
# --drift-share, --columns and --stattest-column with a distance still apply.
expect_rc 0 "$FERRY" monitor drift --reference ref.profile --current shifted.csv --format json --drift-share 0.8
[[ $(json 'j.dataset_drift' <<<"$out") == false ]] || fail "--drift-share: $out"
expect_rc 0 "$FERRY" monitor drift --reference ref.profile --current shifted.csv --format json \
  --columns x,k --stattest-column x=psi
[[ $(json 'Object.keys(j.columns).join(",")+" "+j.columns.x.stattest+" "+j.columns.x.drift_detected' <<<"$out") == \
  "x,k psi true" ]] || fail "--columns / psi: $out"

# Options that need the raw reference values: usage errors (2).
expect_rc 2 "$FERRY" monitor drift --reference ref.profile --current same.csv --stattest ks
[[ $err == *"stattest 'ks' needs the raw reference values"*"(--reference is a profile)"* ]] || fail "ks: $err"
expect_rc 2 "$FERRY" monitor drift --reference pkg.oci --current same.csv --stattest-column x=wasserstein
[[ $err == *"--stattest-column x: stattest 'wasserstein' needs the raw reference values"* ]] || fail "wasserstein: $err"
# sketch_ks on raw data, a package without a profile, a broken profile: errors (1).
expect_rc 1 "$FERRY" monitor drift --reference ref.csv --current same.csv --stattest sketch_ks
[[ $err == *"needs a profile or a package as the reference"* ]] || fail "sketch_ks on data: $err"
expect_rc 1 "$FERRY" monitor drift --reference bare.oci --current same.csv
[[ $err == *"bare.oci: the package has no reference profile"*"--reference-data"* ]] || fail "bare: $err"
head -c 40 ref.profile >trunc.profile
expect_rc 1 "$FERRY" monitor drift --reference trunc.profile --current same.csv
[[ $err == *"trunc.profile: profile: offset "* ]] || fail "truncated: $err"
printf 'x\n1.5\n' >onlyx.csv
expect_rc 1 "$FERRY" monitor drift --reference ref.profile --current onlyx.csv
[[ $err == *"column 'city': not in the current data"* ]] || fail "missing column: $err"

# The report: says the reference is a profile, one row per column, histograms from sketches.
expect_rc 0 "$FERRY" monitor report --reference pkg.tar --current shifted.csv -o report.html
[[ $out == *"dataset drift detected"* ]] || fail "report: $out"
grep -q "The reference is the package&#39;s reference profile, not raw data" report.html || fail "report note"
[[ $(grep -o 'class="column-row"' report.html | wc -l) == 3 ]] || fail "report rows"
[[ $(grep -o '<svg class="hist"' report.html | wc -l) == 3 ]] || fail "report histograms"
grep -q "sketch_ks distance" report.html || fail "report stat test"
expect_rc 0 "$FERRY" monitor report --reference ref.profile --current same.csv -o same.html
grep -q "The reference is a profile, not raw data" same.html || fail "profile note"
grep -q 'nodrift">Dataset drift NOT detected' same.html || fail "same: verdict"
expect_rc 2 "$FERRY" monitor report --reference ref.profile --current same.csv -o x.html --stattest z
echo "PASS monitor_profile_drift"
