#!/usr/bin/env bash
# Generated sessions to a served recommender, without a server: `ferry data sessions` is
# deterministic by seed and rejects bad flags; `ferry train recommender` learns the planted
# transitions on it for each method (hit rate far above popularity); `ferry predict` answers
# an OIP request with the oracle's likeliest next item first.
source "$(dirname "$0")/lib.sh"
cd "$WORK"

echo "--- ferry data sessions"
"$FERRY" data sessions --events 30000 --items 300 --seed 5 -o a.csv --oracle oracle.csv 2>gen.log ||
  fail "generate: $(cat gen.log)"
"$FERRY" data sessions --events 30000 --items 300 --seed 5 -o b.csv 2>/dev/null
"$FERRY" data sessions --events 30000 --items 300 --seed 6 -o c.csv 2>/dev/null
cmp -s a.csv b.csv || fail "the same seed gave different data"
! cmp -s a.csv c.csv || fail "another seed gave the same data"
[[ $(head -1 a.csv) == "session,item,time" ]] || fail "header: $(head -1 a.csv)"
[[ $(($(wc -l <a.csv) - 1)) == 30000 ]] || fail "expected 30000 events"
[[ $(head -1 oracle.csv) == "era,item,next,probability" ]] || fail "oracle header"
! "$FERRY" data sessions --noise 2 -o x.csv 2>bad.log || fail "--noise 2 accepted"
grep -q -- "--noise: must be in \[0, 1\]" bad.log || fail "bad flag: $(cat bad.log)"
"$FERRY" data sessions --events 1000 --drift-at 0.5 -o - >stdout.csv 2>/dev/null
[[ $(wc -l <stdout.csv) == 1001 ]] || fail "-o - did not write 1000 events to stdout"

echo "--- ferry train recommender, each method"
for m in sr vsknn iknn pop; do
  "$FERRY" train recommender --data a.csv --no-tracking --param "method=$m" -o "$m.oci" \
    >"train_$m.log" 2>&1 || fail "train $m: $(cat "train_$m.log")"
  hr=$(sed -n 's/.* hit_rate_at_20=\([0-9.e+-]*\).*/\1/p' "train_$m.log")
  pop=$(sed -n 's/.* popularity_hit_rate_at_20=\([0-9.e+-]*\).*/\1/p' "train_$m.log")
  echo "$m: HR@20 $hr, POP $pop"
  if [[ $m != pop ]]; then
    node -e "process.exit($hr >= 2 * $pop && $hr > 0.5 ? 0 : 1)" || fail "$m: HR@20 $hr vs POP $pop"
  fi
done

echo "--- ferry predict: the oracle's likeliest next item comes first"
item=$(awk -F, 'NR == 2 {print $2}' oracle.csv)
best=$(awk -F, 'NR == 2 {print $3}' oracle.csv)
echo "{\"inputs\":[{\"name\":\"session\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"$item\"]}]}" >req.json
"$FERRY" predict sr.oci <req.json >out.json || fail "predict"
first=$(json 'j.outputs.find(o=>o.name==="items").data[0]' <out.json)
[[ $first == "$best" ]] || fail "after $item: expected $best first, got $first ($(cat out.json))"
echo PASS
