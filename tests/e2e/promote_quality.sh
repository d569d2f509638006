#!/usr/bin/env bash
# A canary judged on ground truth: `ferry server --monitor on` remembers which version answered
# each request, labels posted for the answers give each arm its own accuracy (the deployment's
# monitoring "arms"), and `ferry promote --max-quality-drop` rolls back a challenger that
# answers every request (no error, no latency penalty) but wrongly: one trained on inverted
# targets. A challenger as good as the champion is promoted with both qualities in its figures.
source "$(dirname "$0")/lib.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)
cd "$WORK"
start_server
SRV=$URL

echo "--- three versions: a good model, one trained on inverted targets, another good one"
awk -F, 'BEGIN {OFS=","} NR == 1 {print; next} {$NF = 1 - $NF; print}' \
  "$DATA/breast_cancer.csv" >inverted.csv
train() {  # train LOG ARGS...
  local log=$1
  shift
  "$FERRY" train logistic --target target --register bc --tracking-uri "$SRV" "$@" >"$log" 2>&1 ||
    { cat "$log"; fail "train $*"; }
}
train t1.log --data "$DATA/breast_cancer.csv" -o bc1.oci
train t2.log --data inverted.csv -o bc2.oci
train t3.log --data "$DATA/breast_cancer.csv" --param l2=3 -o bc3.oci
"$FERRY" models alias bc champion 1 --tracking-uri "$SRV" >/dev/null

stop_server
start_server --deploy models:/bc@champion --monitor on --quiet
# Two rows of each class, and their true labels.
node -e '
const fs=require("fs");const lines=fs.readFileSync(process.argv[1],"utf8").trim().split("\n");
const rows=lines.slice(1).map(l=>l.split(",").map(Number));
const pick=[...rows.filter(r=>r[r.length-1]===0).slice(0,2),...rows.filter(r=>r[r.length-1]===1).slice(0,2)];
const n=pick[0].length-1;
fs.writeFileSync("oip.json",JSON.stringify({inputs:[{name:"input",shape:[4,n],datatype:"FP64",data:pick.flatMap(r=>r.slice(0,n))}]}));
fs.writeFileSync("truth.json",JSON.stringify(pick.map(r=>r[n])));
' "$DATA/breast_cancer.csv"
# load.js URL OUT: 2 clients post oip.json with ids q-N until the file "stop" appears, and post
# the true labels of every 20 answers; OUT gets the counts.
cat >load.js <<'JS'
const http = require("http"), fs = require("fs");
const base = process.argv[2], out = process.argv[3];
const body = fs.readFileSync("oip.json"), truth = JSON.parse(fs.readFileSync("truth.json"));
const agent = new http.Agent({keepAlive: true, maxSockets: 3});
const counts = {ok: 0, failed: 0, versions: {}, labelled: 0, errors: []};
let next = 0, active = 2, answered = [];
function post(path, data, done) {
  const req = http.request(new URL(base + path), {method: "POST", agent,
      headers: {"Content-Type": "application/json", ...data.headers}}, res => {
    let s = "";
    res.on("data", d => s += d).on("end", () => done(res.statusCode, s));
  });
  req.on("error", e => done(0, String(e)));
  req.end(data.body);
}
function label(then) {
  if (answered.length === 0) return then();
  const labels = answered.flatMap(id => truth.map((y, row) => ({request_id: id, row, label: y})));
  answered = [];
  post("/api/ferry/v1/monitoring/labels", {body: JSON.stringify({deployment: "bc", labels})},
       (code, s) => {
    if (code === 200) counts.labelled += JSON.parse(s).matched;
    else counts.errors.push("labels " + code + " " + s);
    then();
  });
}
function finish() {
  if (--active > 0) return;
  label(() => { fs.writeFileSync(out, JSON.stringify(counts)); process.exit(0); });
}
function one() {
  if (fs.existsSync("stop")) return finish();
  const id = "q-" + next++;
  post("/v2/models/bc/infer", {body, headers: {"X-Request-Id": id}}, (code, s) => {
    if (code === 200) {
      counts.ok++;
      const v = JSON.parse(s).model_version;
      counts.versions[v] = (counts.versions[v] || 0) + 1;
      answered.push(id);
    } else {
      counts.failed++;
      if (counts.errors.length < 3) counts.errors.push(code + " " + s);
    }
    if (answered.length >= 20) label(one); else one();
  });
}
for (let i = 0; i < 2; i++) one();
JS
start_load() { rm -f stop "$1"; node load.js "$URL" "$1" & LOAD_PID=$!; }
stop_load() { touch stop; wait "$LOAD_PID" || fail "load loop exited with $?"; cat "$1"; echo; }
for _ in $(seq 1 100); do
  curl -fsS "$URL/api/ferry/v1/deployments/bc" 2>/dev/null | has '"version":"1"' && break
  sleep 0.1
done

echo "--- a challenger that answers wrongly is rolled back on quality"
start_load bad.json
rc=0
"$FERRY" promote --server "$URL" --model bc --version 2 --percent 50 --window 60 \
  --min-requests 30 --max-latency-ratio 100 --latency-slack-ms 1000 --max-quality-drop 0.2 \
  --output p2.json >promote2.out 2>&1 || rc=$?
cat promote2.out
curl -fsS "$URL/api/ferry/v1/deployments/bc" >d2.json
stop_load bad.json
((rc == 1)) || fail "a challenger answering wrongly was not rolled back (exit $rc)"
grep -q "^ROLLED BACK version 2: the challenger's quality 0 is below the champion's 1" \
  promote2.out || fail "no quality reason: $(tail -2 promote2.out)"
[[ $(json 'j.failed' <bad.json) == 0 ]] || fail "requests failed: $(cat bad.json)"
[[ $(json 'j.labelled > 0' <bad.json) == true ]] || fail "no label matched: $(cat bad.json)"
[[ $(api GET 'registered-models/get?name=bc' | json 'j.registered_model.aliases.find(a=>a.alias==="champion").version') == 1 ]] ||
  fail "the champion alias moved"

echo "--- a challenger as good as the champion is promoted, both qualities known"
start_load good.json
sleep 1
"$FERRY" promote --server "$URL" --model bc --version 3 --percent 50 --window 6 \
  --min-requests 30 --max-latency-ratio 100 --latency-slack-ms 1000 --max-quality-drop 0.2 \
  --output p3.json >promote3.out 2>&1 || { cat promote3.out; fail "version 3 was not promoted"; }
cat promote3.out
stop_load good.json
grep -q "^PROMOTED version 3" promote3.out || fail "no verdict line"
[[ $(json 'j.failed' <good.json) == 0 ]] || fail "requests failed: $(cat good.json)"
# Both arms' accuracy from the labels, in the progress lines, and in the deployment now.
grep -q "champion v1 .* quality 1 | challenger v3 .* quality 1 |" promote3.out ||
  fail "no per-version quality in the progress: $(tail -3 promote3.out)"
curl -fsS "$URL/api/ferry/v1/deployments/bc" >d3.json
[[ $(json 'j.monitoring.arms["3"].metric + ":" + (j.monitoring.arms["3"].labelled > 0)' <d3.json) == accuracy:true ]] ||
  fail "no per-version quality: $(cat d3.json)"
