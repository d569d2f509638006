#!/usr/bin/env bash
# What `ferry serve --auth` costs per inference request, in one run on one machine: two
# `ferry serve` of the same logistic regression (30 breast-cancer features, OIP infer of one
# row, batching off), one without auth and one with --auth and a Bearer token scoped to the
# model, under the same wrk load (c=64, 2 threads, keep-alive) in alternating rounds.
#   bench/run_serve_auth_bench.sh build/ferry
# Knobs: DURATION=5 ROUNDS=3. Prints per-round figures and the medians with the ratio
# (auth / none) of requests/s and of server CPU per request. Needs wrk.
set -euo pipefail

FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
DURATION=${DURATION:-5}
ROUNDS=${ROUNDS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$ROOT/tests/data/breast_cancer.csv
source "$(dirname "$0")/lib.sh"
bench_workdir serve-auth-bench

"$FERRY" train logistic --data "$DATA" --target target --no-tracking -o lr.oci 2>/dev/null
ROW=$(sed -n 2p "$DATA" | cut -d, -f1-30)
OIP="{\"inputs\":[{\"name\":\"input\",\"shape\":[1,30],\"datatype\":\"FP64\",\"data\":[$ROW]}]}"
TOKEN=bench-infer-token-0123456789
printf 'bench infer:cancer sha256:%s\nroot admin sha256:%s\n' \
  "$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)" "$(head -c 32 /dev/urandom | sha256sum | cut -d' ' -f1)" >tokens
chmod 600 tokens
lua() { # FILE [AUTHORIZATION]
  printf 'wrk.method="POST"\nwrk.headers["Content-Type"]="application/json"\nwrk.body=[==[%s]==]\n' "$OIP" >"$1"
  [[ -n ${2:-} ]] && printf 'wrk.headers["Authorization"]="%s"\n' "$2" >>"$1"
  return 0
}
lua none.lua
lua auth.lua "Bearer $TOKEN"

# start NAME [flags...]: `ferry serve` on a free port; sets NAME_PID and NAME_URL.
start() {
  local name=$1 port
  shift
  port=$(free_port)
  "$FERRY" serve lr.oci --name cancer --port "$port" --threads 2 --no-access-log "$@" \
    >"$name.out" 2>"$name.err" &
  PIDS+=($!)
  printf -v "${name}_PID" %s $!
  printf -v "${name}_URL" %s "http://127.0.0.1:$port"
  wait_http "http://127.0.0.1:$port/v2/health/ready"
}
start none
start auth --auth --token-file tokens
curl -fsS -o /dev/null -XPOST -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
  --data "$OIP" "$auth_URL/v2/models/cancer/infer"
[[ $(curl -sS -o /dev/null -w '%{http_code}' -XPOST --data "$OIP" "$auth_URL/v2/models/cancer/infer") == 401 ]] ||
  { echo "the --auth server answered without a token" >&2; exit 1; }

# run NAME: one round, prints "RESULT name=NAME requests_per_s=R server_cpu_us_per_request=C".
run() {
  local name=$1 pid url t0 t1 reqs tick_us
  pid=${name}_PID
  url=${name}_URL
  wrk -t2 -c64 -d1s -s "$name.lua" "${!url}/v2/models/cancer/infer" >/dev/null
  t0=$(cpu_ticks "${!pid}")
  wrk -t2 -c64 -d"${DURATION}s" -s "$name.lua" "${!url}/v2/models/cancer/infer" >wrk.out
  t1=$(cpu_ticks "${!pid}")
  grep -q "Non-2xx" wrk.out && { echo "$name: non-2xx responses" >&2; cat wrk.out >&2; exit 1; }
  reqs=$(awk '/requests in/ {print $1}' wrk.out)
  tick_us=$((1000000 / $(getconf CLK_TCK)))
  echo "RESULT name=$name requests_per_s=$(awk '/Requests\/sec/ {print $2}' wrk.out)" \
    "server_cpu_us_per_request=$(((t1 - t0) * tick_us * 10 / reqs))e-1" | tee -a results
}

: >results
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$ROUNDS"); do
  if ((round % 2)); then run none; run auth; else run auth; run none; fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 - results <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    kv = dict(x.split("=", 1) for x in line.split()[1:])
    rows.setdefault(kv["name"], []).append((float(kv["requests_per_s"]),
                                           float(kv["server_cpu_us_per_request"])))
med = {n: (statistics.median(r for r, _ in v), statistics.median(c for _, c in v))
       for n, v in rows.items()}
for n in ("none", "auth"):
    print(f"MEDIAN {n}: requests_per_s={med[n][0]:.0f} server_cpu_us_per_request={med[n][1]:.1f}")
print(f"RATIO auth/none: throughput={med['auth'][0] / med['none'][0]:.3f} "
      f"cpu_per_request={med['auth'][1] / med['none'][1]:.3f}")
PY
