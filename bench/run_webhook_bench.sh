#!/usr/bin/env bash
# Webhook fan-out beside a black hole: one receiver accepts TCP and never answers, one answers
# at once; 5 model versions are registered and the script prints when each event reached the
# healthy receiver (seconds after the first registration). Usage: run_webhook_bench.sh FERRY
# (before: the issue measured the first event at 10.3 s and 2 of 5 within 25 s with one worker).
set -euo pipefail
FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
WORK=$(mktemp -d /tmp/ferry-webhook-bench-XXXXXX)
source "$(dirname "$0")/../scripts/lib/server.sh"

cat >"$WORK/receivers.py" <<'PY'
import http.server, socket, sys, threading, time
log = sys.argv[1]
hole = socket.socket(); hole.bind(("127.0.0.1", 0)); hole.listen(64)
held = []
threading.Thread(target=lambda: [held.append(hole.accept()) for _ in iter(int, 1)], daemon=True).start()
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        with open(log, "a") as f: f.write("%.6f\n" % time.time())
        self.send_response(200); self.end_headers()
    def log_message(self, *a): pass
ok = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
print(hole.getsockname()[1], ok.server_address[1], flush=True)
ok.serve_forever()
PY
python3 "$WORK/receivers.py" "$WORK/arrivals" >"$WORK/ports" &
EXTRA_CLEANUP+=("kill $!")
for _ in $(seq 1 100); do [[ -s $WORK/ports ]] && break; sleep 0.05; done
read -r hole_port ok_port <"$WORK/ports"

# ALLOW= (empty) runs a build from before --webhook-allow-hosts existed.
# shellcheck disable=SC2086
start_server_in "$WORK/data" ${ALLOW---webhook-allow-hosts 127.0.0.1}
for port in "$hole_port" "$ok_port"; do  # the black hole first, as the older webhook
  curl -sS -o /dev/null -X POST -H 'Content-Type: application/json' \
    "$URL/api/ferry/v1/webhooks" \
    --data '{"url": "http://127.0.0.1:'"$port"'/hook", "events": ["model_version.created"]}'
done
curl -sS -o /dev/null -X POST -H 'Content-Type: application/json' \
  "$URL/api/2.0/mlflow/registered-models/create" --data '{"name": "bench"}'
start=$(python3 -c 'import time; print("%.6f" % time.time())')
for _ in 1 2 3 4 5; do
  curl -sS -o /dev/null -X POST -H 'Content-Type: application/json' \
    "$URL/api/2.0/mlflow/model-versions/create" --data '{"name": "bench", "source": "s3://b/m"}'
done
for _ in $(seq 1 300); do
  [[ -f $WORK/arrivals && $(wc -l <"$WORK/arrivals") -ge 5 ]] && break
  sleep 0.1
done
touch "$WORK/arrivals"
echo "healthy receiver: $(wc -l <"$WORK/arrivals") of 5 events within 30 s; arrivals (s):" \
  $(awk -v s="$start" '{printf "%.3f ", $1 - s}' "$WORK/arrivals")
stop_server
