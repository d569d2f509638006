#!/usr/bin/env bash
# SIGKILL the server while 8 clients log; after a restart every write that got a 200 is there.
source "$(dirname "$0")/lib.sh"
CLIENTS=8
SECONDS_OF_LOAD=${FERRY_E2E_KILL_AFTER_S:-3}

start_server
run_id=$(api POST runs/create '{"experiment_id": "0"}' | json 'j.run.info.run_id')

client() {  # client K: logs metric cK at steps 1,2,3,... and records acknowledged steps
  local k=$1 step=1 code
  while :; do
    code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
      --data "{\"run_id\":\"$run_id\",\"key\":\"c$k\",\"value\":$step,\"timestamp\":1,\"step\":$step}" \
      "$URL/api/2.0/mlflow/runs/log-metric") || return 0
    [[ $code == 200 ]] || return 0
    echo "$step" >>"$WORK/acked.$k"
    step=$((step + 1))
  done
}
pids=()
for k in $(seq 1 $CLIENTS); do client "$k" & pids+=($!); done
sleep "$SECONDS_OF_LOAD"
kill9_server
wait "${pids[@]}" 2>/dev/null || true

start_server
total=0
for k in $(seq 1 $CLIENTS); do
  [[ -f $WORK/acked.$k ]] || fail "client $k got no write acknowledged"
  acked=$(wc -l <"$WORK/acked.$k")
  stored=$(curl -sS "$URL/api/2.0/mlflow/metrics/get-history?run_id=$run_id&metric_key=c$k" |
    json '(j.metrics||[]).map(m=>m.step).join("\n")')
  missing=$(comm -23 <(sort -n "$WORK/acked.$k" | sort) <(printf '%s\n' "$stored" | sort))
  [[ -z $missing ]] || fail "client $k: acknowledged steps missing after kill -9: $(echo $missing | head -c 200)"
  total=$((total + acked))
done
echo "kill -9 after ${SECONDS_OF_LOAD}s: all $total acknowledged writes from $CLIENTS clients survived"
stop_server
echo "PASS: durability"
