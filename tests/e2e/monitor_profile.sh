#!/usr/bin/env bash
# `ferry monitor profile` / `ferry monitor show` on CSV, TSV and JSON lines, their errors, and
# `ferry package build --reference-data` embedding the same profile in the package.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

python3 - <<'PY'
import random
random.seed(7)
with open("data.csv", "w") as f, open("data.tsv", "w") as t, open("data.jsonl", "w") as j:
    f.write("x,n,color\n"); t.write("x\tn\tcolor\n")
    for i in range(5000):
        x = "" if i % 100 == 0 else repr(random.gauss(10, 2))
        n = random.randint(0, 4)
        c = random.choice(["red", "green", "blue", "red"])
        f.write(f"{x},{n},{c}\n"); t.write(f"{x}\t{n}\t{c}\n")
        j.write('{"x": %s, "n": %d, "color": "%s"}\n' % (x or "null", n, c))
PY

"$FERRY" monitor profile data.csv -o csv.bin 2>err.txt || fail "profile csv: $(cat err.txt)"
grep -q "5000 rows x 3 columns" err.txt || fail "profile summary line: $(cat err.txt)"
"$FERRY" monitor profile data.tsv -o tsv.bin 2>/dev/null || fail "profile tsv"
"$FERRY" monitor profile data.jsonl -o jsonl.bin 2>/dev/null || fail "profile jsonl"
cmp -s csv.bin tsv.bin || fail "CSV and TSV of the same data gave different profiles"
"$FERRY" monitor profile data.csv -o again.bin 2>/dev/null
cmp -s csv.bin again.bin || fail "profiling is not reproducible"

text=$("$FERRY" monitor show csv.bin)
grep -q "^5000 rows, 3 columns" <<<"$text" || fail "show header: $text"
grep -q "missing 50 (1.00%)" <<<"$text" || fail "show missing: $text"
grep -q 'top "red"' <<<"$text" || fail "show top items: $text"
js=$("$FERRY" monitor show csv.bin --format json)
[[ $(json 'j.columns.map(c=>c.name+":"+c.type).join(",")' <<<"$js") == x:numeric,n:numeric,color:text ]] ||
  fail "json columns: $js"
[[ $(json 'j.columns[0].missing' <<<"$js") == 50 ]] || fail "json missing: $js"
[[ $(json 'Math.abs(j.columns[0].quantiles.p50-10)<0.2' <<<"$js") == true ]] || fail "json p50: $js"
[[ $(json 'j.columns[1].distinct.estimate>4.9&&j.columns[1].distinct.estimate<5.1' <<<"$js") == true ]] ||
  fail "json distinct: $js"
[[ $(json 'j.columns[2].top_items[0].item' <<<"$js") == red ]] || fail "json top item: $js"
[[ $(json 'j.columns[2].quantiles' <<<"$js") == null ]] || fail "json text quantiles: $js"

# Errors: usage (2), unreadable data or profile (1, with the reason).
set +e
"$FERRY" monitor profile data.csv 2>err.txt; rc=$?
[[ $rc == 2 ]] && grep -q -- "-o PROFILE is required" err.txt || fail "missing -o: rc=$rc $(cat err.txt)"
"$FERRY" monitor profile data.csv -o x.bin --kll-k 3 2>err.txt; rc=$?
[[ $rc == 2 ]] && grep -q -- "--kll-k" err.txt || fail "bad --kll-k: rc=$rc $(cat err.txt)"
"$FERRY" monitor profile missing.csv -o x.bin 2>err.txt; rc=$?
[[ $rc == 1 ]] || fail "missing data: rc=$rc $(cat err.txt)"
head -c 100 csv.bin >trunc.bin
"$FERRY" monitor show trunc.bin 2>err.txt; rc=$?
[[ $rc == 1 ]] && grep -q "trunc.bin: profile: offset [0-9]*: .*truncated" err.txt ||
  fail "truncated profile: rc=$rc $(cat err.txt)"
"$FERRY" monitor show csv.bin --format yaml 2>err.txt; rc=$?
[[ $rc == 2 ]] || fail "bad --format: rc=$rc"
"$FERRY" monitor show --help >help.txt; rc=$?
[[ $rc == 0 ]] && grep -q "Usage: ferry monitor show" help.txt || fail "show --help"
set -e

# ---- the reference profile in a package ----
mkdir model
head -c 1000 /dev/urandom >model/model.onnx
digest=$("$FERRY" package build model --name demo --version 1 --created 2025-01-01T00:00:00Z \
  --reference-data data.csv -o pkg.oci 2>build.err) || fail "build: $(cat build.err)"
grep -q "reference profile of data.csv: 5000 rows x 3 columns" build.err || fail "build: $(cat build.err)"
info=$("$FERRY" package inspect pkg.oci --json)
ref=$(json 'j.config.ferry.referenceProfile' <<<"$info")
[[ $ref == sha256:* ]] || fail "referenceProfile not set: $info"
[[ $(json 'j.manifest.layers.at(-1).digest+" "+j.manifest.layers.at(-1).mediaType' <<<"$info") == \
  "$ref application/vnd.ferry.monitoring.profile.v1" ]] || fail "profile layer: $info"
"$FERRY" package inspect pkg.oci | has "^profile    $ref" || fail "inspect text lacks the profile"
cmp -s "pkg.oci/blobs/sha256/${ref#sha256:}" csv.bin || fail "embedded profile differs from monitor profile"
"$FERRY" package verify pkg.oci >/dev/null 2>&1 || fail "verify"
set +e
"$FERRY" package build model --name demo --reference-data nope.csv -o bad.oci 2>err.txt; rc=$?
set -e
[[ $rc == 1 ]] && grep -q -- "--reference-data: " err.txt || fail "bad reference data: rc=$rc $(cat err.txt)"
echo "PASS monitor_profile"
