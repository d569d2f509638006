#!/usr/bin/env bash
# `ferry monitor schema` and `ferry monitor validate` as a pipeline uses them: the schema of
# a reference file, then exit 0 for similar data (warnings allowed), 1 with the anomalies
# listed for broken data (text and JSON), 2 for usage errors, 1 with a message naming the line
# for unreadable data; CSV, TSV and JSON lines.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

"$FERRY" monitor --help | has "schema" || fail "monitor --help lists schema"
"$FERRY" monitor --help | has "validate" || fail "monitor --help lists validate"

printf 'age,income,city,member\n34,52000.5,Paris,true\n45,61000,Lyon,false\n29,,Paris,true\n61,75000.25,Nice,false\n' >ref.csv
"$FERRY" monitor schema ref.csv -o schema.json | has "Wrote the schema of ref.csv" || fail "schema -o"
"$FERRY" monitor schema ref.csv | cmp - schema.json || fail "stdout and -o differ"
grep -q '"format": "ferry.monitoring.schema"' schema.json || fail "schema format"

# The same data, then similar data with a new column (a warning): exit 0.
"$FERRY" monitor validate --schema schema.json ref.csv >out.txt || fail "clean data: exit $?"
grep -q "^OK: no anomalies in ref.csv (4 rows, 4 columns)" out.txt || fail "$(cat out.txt)"
printf 'age,income,city,member,note\n40,60000,Lyon,true,x\n' >similar.csv
"$FERRY" monitor validate --schema schema.json similar.csv >out.txt || fail "warnings only: exit $?"
grep -q "^WARNING SCHEMA_NEW_COLUMN: column 'note' is in the data but not in the schema" out.txt ||
  fail "$(cat out.txt)"

# Broken data: exit 1 and one line per anomaly.
printf 'age,income,city\n34,nan,Paris\n140,61000,Berlin\n' >broken.csv
set +e
"$FERRY" monitor validate --schema schema.json broken.csv >out.txt
status=$?
set -e
[[ $status == 1 ]] || fail "broken data: exit $status, want 1"
for line in \
  "WARNING INT_TYPE_BIG_INT: column 'age': 1 of 2 values (50%) are above the schema's maximum 61 (largest seen: 140)" \
  "ERROR   FLOAT_TYPE_HAS_NAN: column 'income': 1 of 2 values (50%) are NaN, which the schema disallows" \
  "ERROR   ENUM_TYPE_UNEXPECTED_STRING_VALUES: column 'city': 1 of 2 values (50%) are not among the schema's 3 known values (most common: 'Berlin' (1))" \
  "ERROR   SCHEMA_MISSING_COLUMN: column 'member' is in the schema (type BOOL) but not in the data" \
  "FAILED: 3 errors, 1 warning in broken.csv (2 rows, 3 columns)"; do
  grep -qxF "$line" out.txt || fail "missing line: $line; got: $(cat out.txt)"
done
set +e
"$FERRY" monitor validate --schema schema.json --format json broken.csv >out.json
status=$?
set -e
[[ $status == 1 ]] || fail "json: exit $status"
[[ $(json 'j.blocking + " " + j.errors + " " + j.anomalies.map(a => a.kind + "/" + a.severity + "/" + a.column).join(",")' <out.json) == \
  "true 3 INT_TYPE_BIG_INT/WARNING/age,FLOAT_TYPE_HAS_NAN/ERROR/income,ENUM_TYPE_UNEXPECTED_STRING_VALUES/ERROR/city,SCHEMA_MISSING_COLUMN/ERROR/member" ]] ||
  fail "json: $(cat out.json)"
[[ $(json 'j.anomalies[2].examples.join(",")' <out.json) == "Berlin" ]] || fail "examples"

# TSV and JSON lines read the same way.
printf 'age\tincome\tcity\tmember\n30\t60000\tNice\tfalse\n' >ok.tsv
"$FERRY" monitor validate --schema schema.json ok.tsv >/dev/null || fail "tsv: exit $?"
printf '{"age":30,"income":60000,"city":"Nice","member":false}\n' >ok.jsonl
"$FERRY" monitor validate --schema schema.json ok.jsonl >/dev/null || fail "jsonl: exit $?"

# Usage errors exit 2; unreadable data or schema exit 1 with the reason.
expect_exit() {
  local want=$1 pattern=$2
  shift 2
  set +e
  "$FERRY" monitor "$@" >/dev/null 2>err.txt
  local got=$?
  set -e
  [[ $got == "$want" ]] || fail "ferry monitor $*: exit $got, want $want"
  grep -qF -- "$pattern" err.txt || fail "ferry monitor $*: no '$pattern' in: $(cat err.txt)"
}
expect_exit 2 "--schema is required" validate ref.csv
expect_exit 2 "--format must be text or json" validate --schema schema.json --format xml ref.csv
expect_exit 2 "Usage: ferry monitor schema" schema
expect_exit 2 "unknown command 'bogus'" bogus
printf 'a,b\n1,2\n3\n' >ragged.csv
expect_exit 1 "ragged.csv:3: expected 2 fields, got 1" validate --schema schema.json ragged.csv
expect_exit 1 "ragged.csv:3: expected 2 fields, got 1" schema ragged.csv
: >empty.csv
expect_exit 1 "empty.csv: no header row" schema empty.csv
echo '{"format":"ferry.monitoring.schema","version":1,"columns":[{"name":"a","type":"INT","int_domain":{"min":5}}]}' >bad.json
expect_exit 1 "bad.json: columns[0].int_domain.max: missing" validate --schema bad.json ref.csv
expect_exit 1 "No such file" validate --schema missing.json ref.csv

# Header only: a schema with UNKNOWN columns; validating it reports NO_DATA_IN_SPAN.
printf 'a,b\n' >header.csv
"$FERRY" monitor schema header.csv | has '"type": "UNKNOWN"' || fail "header-only schema"
set +e
"$FERRY" monitor validate --schema schema.json header.csv >out.txt
status=$?
set -e
[[ $status == 1 ]] || fail "no rows: exit $status"
grep -q "^ERROR   NO_DATA_IN_SPAN: the data has no rows (the schema was inferred from 4)" out.txt ||
  fail "no rows: $(cat out.txt)"
echo "monitor_validate: ok"
