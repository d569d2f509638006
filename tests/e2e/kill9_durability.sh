#!/usr/bin/env bash
# SIGKILL the server while 8 clients log; after a restart every write that got a 200 is there.
source "$(dirname "$0")/lib.sh"
CLIENTS=8
SECONDS_OF_LOAD=${FERRY_E2E_KILL_AFTER_S:-3}

start_server
run_id=$(api POST runs/create '{"experiment_id": "0"}' | json 'j.run.info.run_id')

node "$(dirname "$0")/durability_clients.js" "$URL" "$run_id" "$CLIENTS" "$WORK" &
clients_pid=$!
sleep "$SECONDS_OF_LOAD"
kill -0 "$clients_pid" 2>/dev/null || fail "clients stopped before the kill (a write failed?)"
kill9_server
wait "$clients_pid" || fail "a client saw a non-200 answer"

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
