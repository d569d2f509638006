#!/usr/bin/env bash
# The registry from the built binary: `ferry models` and curl against `ferry server`, and a
# signed webhook delivery that survives kill -9 of the server (it is resumed at restart). The
# receiver is on loopback, so the server allows it with --webhook-allow-hosts.
source "$(dirname "$0")/lib.sh"
start_server --webhook-allow-hosts 127.0.0.1
export FERRY_TRACKING_URI=$URL

# A receiver that checks X-MLflow-Signature with its own HMAC and logs OK/BAD per request.
cat >"$WORK/receiver.py" <<'PY'
import base64, hashlib, hmac, http.server, sys
log, port = sys.argv[1], int(sys.argv[2])
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        d, t = self.headers["X-MLflow-Delivery-Id"], self.headers["X-MLflow-Timestamp"]
        mac = hmac.new(b"e2e-secret", f"{d}.{t}.".encode() + body, hashlib.sha256).digest()
        ok = hmac.compare_digest("v1," + base64.b64encode(mac).decode(),
                                 self.headers.get("X-MLflow-Signature", ""))
        with open(log, "a") as f:
            f.write(("OK " if ok else "BAD ") + body.decode() + "\n")
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
PY
# Reserve a port for the receiver, which starts only after the server has died.
python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' \
  >"$WORK/hook.port"
hook_port=$(cat "$WORK/hook.port")

hook=$(curl -sS -X POST -H 'Content-Type: application/json' "$URL/api/ferry/v1/webhooks" \
  --data '{"url": "http://127.0.0.1:'"$hook_port"'/hook", "events": ["model_version.created"],
           "secret": "e2e-secret"}')
hook_id=$(printf '%s' "$hook" | json 'j.webhook.id')
[[ ${#hook_id} == 32 ]] || fail "webhook not created: $hook"

"$FERRY" models register churn --source s3://models/churn/1 --run-id r1 >"$WORK/reg.out" \
  2>"$WORK/reg.err" || fail "register: $(cat "$WORK/reg.err")"
grep -q "Registered model 'churn' version 1 (READY)" "$WORK/reg.out" || fail "$(cat "$WORK/reg.out")"
"$FERRY" models alias churn champion 1 >/dev/null || fail "alias"
got=$(api GET "registered-models/alias?name=churn&alias=champion")
[[ $(printf '%s' "$got" | json 'j.model_version.version') == 1 ]] || fail "alias lookup: $got"
"$FERRY" models show churn | has "s3://models/churn/1" || fail "show lacks the version"

# The receiver is down: the delivery is recorded and its first attempt fails; the server dies.
sleep 0.3
kill9_server
python3 "$WORK/receiver.py" "$WORK/hook.log" "$hook_port" &
receiver_pid=$!
EXTRA_CLEANUP+=("kill $receiver_pid")
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$hook_port/" && break; sleep 0.05; done

start_server --webhook-allow-hosts 127.0.0.1
for _ in $(seq 1 100); do [[ -s $WORK/hook.log ]] && break; sleep 0.1; done
[[ -s $WORK/hook.log ]] || fail "the pending delivery was not resumed after restart"
grep -q '^OK {"entity":"model_version","action":"created"' "$WORK/hook.log" ||
  fail "bad delivery: $(cat "$WORK/hook.log")"
log=$(curl -sS "$URL/api/ferry/v1/webhooks/$hook_id/deliveries")
[[ $(printf '%s' "$log" | json 'j.deliveries[0].state') == succeeded ]] || fail "log: $log"
stop_server
echo "PASS: registry and webhooks"
