#!/usr/bin/env bash
# `ferry server` and `ferry serve` over TLS (--tls-cert, --tls-key) with a certificate made
# here by openssl: startup errors for bad files, curl with --cacert (API calls, a large
# artifact up and down, identical), ALPN http/1.1, plain HTTP to the port answered 400 and
# the server serving on, the login cookie Secure, the MLflow Python client logging a run
# over https (MLFLOW_TRACKING_SERVER_CERT_PATH), ferry's CLI registering a model over https,
# `ferry server --deploy` loading it from itself over https (a certificate that does not name
# 127.0.0.1), and `ferry serve` ready over https.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/mlflow_python.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)
cd "$WORK"
MB=${FERRY_E2E_TLS_MB:-64}
export FERRY_ADMIN_PASSWORD=tls-admin-secret-1

echo "--- a self-signed certificate for 127.0.0.1 and localhost"
newcert() {  # newcert NAME: NAME.crt and NAME.key
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
    -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "$1.key" -out "$1.crt" 2>/dev/null || fail "openssl req $1"
}
newcert server
newcert other

echo "--- bad certificate and key combinations stop the start with a clear error"
# expect_start_error WANT CMD...: CMD must exit non-zero (not crash) and print WANT.
expect_start_error() {
  local want=$1 rc=0
  shift
  timeout 20 "$@" >start.out 2>start.err || rc=$?
  ((rc != 0 && rc < 128)) || fail "$* exited $rc: $(cat start.out start.err)"
  grep -qF -- "$want" start.err || fail "$*: want '$want' in: $(cat start.err)"
  echo "  refused: $(head -1 start.err)"
}
S=("$FERRY" server --port 0 --backend-store-uri "sqlite:///$WORK/bad.db")
expect_start_error "--tls-cert needs --tls-key" "${S[@]}" --tls-cert server.crt
expect_start_error "--tls-key needs --tls-cert" "${S[@]}" --tls-key server.key
expect_start_error "TLS certificate $WORK/missing.crt: No such file or directory" \
  "${S[@]}" --tls-cert "$WORK/missing.crt" --tls-key server.key
cp other.key server.key.other
expect_start_error "TLS key server.key.other does not match the certificate server.crt" \
  "${S[@]}" --tls-cert server.crt --tls-key server.key.other
expect_start_error "TLS certificate server.key: not a PEM certificate" \
  "${S[@]}" --tls-cert server.key --tls-key server.crt
: >empty.pem
expect_start_error "TLS certificate empty.pem: not a PEM certificate" \
  "${S[@]}" --tls-cert empty.pem --tls-key server.key
openssl pkey -in server.key -aes256 -passout pass:x -out encrypted.key 2>/dev/null
expect_start_error "TLS key encrypted.key is encrypted: give the key without a passphrase" \
  "${S[@]}" --tls-cert server.crt --tls-key encrypted.key </dev/null
[[ ! -e $WORK/bad.db ]] || fail "a failed start created the store"

# start_tls_server [flags...]: ferry server --auth over TLS (server.crt, or $TLS_CERT and
# $TLS_KEY) with its data in $WORK/data; sets SERVER_PID, PORT and URL.
start_tls_server() {
  : >"$WORK/server.out"
  "$FERRY" server --port 0 --quiet --backend-store-uri "sqlite:///$WORK/data/ferry.db" \
    --artifacts-destination "file://$WORK/data/artifacts" --auth \
    --tls-cert "${TLS_CERT:-server.crt}" --tls-key "${TLS_KEY:-server.key}" "$@" \
    >"$WORK/server.out" 2>>"$WORK/server.log" &
  SERVER_PID=$!
  ALL_SERVER_PIDS+=("$SERVER_PID")
  eventually 20 grep -q "listening on https://" "$WORK/server.out" || fail "no https start line"
  PORT=$(sed -n 's/.*listening on https:\/\/[^:]*:\([0-9]*\).*/\1/p' "$WORK/server.out")
  URL="https://127.0.0.1:$PORT"
}

echo "--- ferry server --tls-cert --tls-key --auth"
start_tls_server
C=(curl -sS --cacert server.crt -u "admin:$FERRY_ADMIN_PASSWORD")
"${C[@]}" -f "$URL/health" >/dev/null || fail "/health over https"

echo "--- API calls and ALPN"
"${C[@]}" -v "$URL/health" 2>alpn.txt >/dev/null
has -E "ALPN.*(accepted|server accepted).*http/1.1" alpn.txt || fail "ALPN: $(grep -i alpn alpn.txt)"
has -E "SSL connection using TLSv1.[23]" alpn.txt || fail "TLS version: $(grep -i 'SSL conn' alpn.txt)"
exp=$("${C[@]}" -f -H 'Content-Type: application/json' -d '{"name":"tls-exp"}' \
  "$URL/api/2.0/mlflow/experiments/create" | json 'j.experiment_id') || fail "experiments/create"
run=$("${C[@]}" -f -H 'Content-Type: application/json' -d "{\"experiment_id\":\"$exp\"}" \
  "$URL/api/2.0/mlflow/runs/create" | json 'j.run.info.run_id') || fail "runs/create"
# Keep-alive: several requests on one connection (curl reuses it for URLs given together).
"${C[@]}" -f -o /dev/null -o /dev/null -o /dev/null "$URL/health" "$URL/health" "$URL/health" \
  -w '%{num_connects}\n' >conns.txt || fail "keep-alive requests"
[[ $(awk '{n += $1} END {print n}' conns.txt) == 1 ]] || fail "keep-alive: connects per request $(cat conns.txt)"

echo "--- a $MB MB artifact up and down over https"
head -c "$((MB * 1024 * 1024))" /dev/urandom >big.bin
path="$exp/$run/artifacts/big.bin"
code=$("${C[@]}" -o put.out -w '%{http_code}' -T big.bin "$URL/api/2.0/mlflow-artifacts/artifacts/$path")
[[ $code == 200 ]] || fail "upload: $code $(cat put.out)"
code=$("${C[@]}" -o down.bin -w '%{http_code}' "$URL/api/2.0/mlflow-artifacts/artifacts/$path")
[[ $code == 200 ]] || fail "download: $code"
cmp -s big.bin down.bin || fail "the downloaded artifact differs from the upload"
# A byte range of it (the file source seeks, then goes through TLS).
"${C[@]}" -f -r 1000-1999 -o part.bin "$URL/api/2.0/mlflow-artifacts/artifacts/$path" || fail "range"
cmp -s part.bin <(tail -c +1001 big.bin | head -c 1000) || fail "range bytes differ"

echo "--- plain HTTP to the TLS port: 400 in plain text, then the server goes on"
code=$(curl -sS -o plain.out -w '%{http_code}' "http://127.0.0.1:$PORT/health") || true
[[ $code == 400 ]] || fail "plain http answered '$code': $(cat plain.out)"
has "This port serves HTTPS" plain.out || fail "plain http body: $(cat plain.out)"
# Bytes that are neither TLS nor HTTP: the connection closes.
(exec 3<>"/dev/tcp/127.0.0.1/$PORT" && printf '\x01\x02garbage' >&3 && timeout 10 cat <&3 >/dev/null 2>&1) ||
  true
"${C[@]}" -f "$URL/health" >/dev/null || fail "the server stopped serving after plain requests"
kill -0 "$SERVER_PID" || fail "the server died"

echo "--- the login cookie is Secure"
"${C[@]}" -f -D login.h -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"username\":\"admin\",\"password\":\"$FERRY_ADMIN_PASSWORD\"}" \
  "$URL/api/ferry/v1/auth/login" || fail "login"
has -i "^set-cookie: ferry_session=.*; HttpOnly; SameSite=Lax; Secure;" login.h ||
  fail "cookie: $(grep -i set-cookie login.h)"

echo "--- the MLflow Python client over https (MLFLOW_TRACKING_SERVER_CERT_PATH)"
mlflow_python_env || fail "the MLflow Python client does not import"
echo "weights" >note.txt
MLFLOW_TRACKING_URI=$URL MLFLOW_TRACKING_SERVER_CERT_PATH=$WORK/server.crt \
  MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=$FERRY_ADMIN_PASSWORD \
  /usr/bin/python3 - >py.out 2>py.err <<'PY' || { cat py.err; fail "mlflow client over https"; }
import mlflow
mlflow.set_experiment("tls-python")
with mlflow.start_run() as run:
    mlflow.log_param("alpha", "0.5")
    for step in range(3):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
    mlflow.log_artifact("note.txt")
got = mlflow.get_run(run.info.run_id)
assert got.data.params["alpha"] == "0.5", got.data.params
files = [f.path for f in mlflow.MlflowClient().list_artifacts(run.info.run_id)]
assert files == ["note.txt"], files
print(run.info.run_id)
PY
pyrun=$(tail -1 py.out)
"${C[@]}" -f "$URL/api/2.0/mlflow/metrics/get-history?run_id=$pyrun&metric_key=loss" |
  json 'j.metrics.length' | has -x 3 || fail "the Python client's metrics"
# Without the certificate the client must refuse the server (verification is on).
MLFLOW_TRACKING_URI=$URL MLFLOW_HTTP_REQUEST_MAX_RETRIES=0 /usr/bin/python3 -c \
  'import mlflow; mlflow.MlflowClient().search_experiments()' >/dev/null 2>untrusted.err &&
  fail "the client trusted a self-signed certificate"
has -i "certificate verify failed" untrusted.err || fail "untrusted: $(tail -3 untrusted.err)"

echo "--- ferry's own CLI over https: train --register with MLFLOW_TRACKING_SERVER_CERT_PATH"
MLFLOW_TRACKING_SERVER_CERT_PATH=$WORK/server.crt MLFLOW_TRACKING_USERNAME=admin \
  MLFLOW_TRACKING_PASSWORD=$FERRY_ADMIN_PASSWORD "$FERRY" train logistic \
  --data "$DATA/breast_cancer.csv" --target target --register bc --tracking-uri "$URL" \
  -o bc.oci >train.log 2>&1 || fail "train --register over https: $(cat train.log)"
"${C[@]}" -f "$URL/api/2.0/mlflow/registered-models/get?name=bc" | has '"name":"bc"' ||
  fail "the model registered over https is missing"
MLFLOW_TRACKING_USERNAME=admin MLFLOW_TRACKING_PASSWORD=$FERRY_ADMIN_PASSWORD \
  "$FERRY" models list --tracking-uri "$URL" >untrusted.out 2>&1 &&
  fail "the CLI trusted a self-signed certificate"
has "certificate" untrusted.out || fail "CLI without the certificate: $(cat untrusted.out)"
stop_server

echo "--- ferry server --deploy over TLS loads the model from itself over https"
# A certificate whose only name is "localhost": the server's own calls to 127.0.0.1 trust
# exactly this certificate, whatever its names.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost" -keyout local.key -out local.crt 2>/dev/null
TLS_CERT=local.crt TLS_KEY=local.key start_tls_server --deploy models:/bc/1
ready() {
  curl -fs --cacert local.crt -u "admin:$FERRY_ADMIN_PASSWORD" -o /dev/null \
    --resolve "localhost:$PORT:127.0.0.1" "https://localhost:$PORT/v2/models/bc/ready"
}
eventually 60 ready || fail "the deployed model did not load over https: $(tail -5 "$WORK/server.log")"
stop_server

echo "--- ferry serve --tls-cert answers /v2/health/ready over https"
expect_start_error "TLS key server.key.other does not match the certificate server.crt" \
  "$FERRY" serve bc.oci --port 0 --tls-cert server.crt --tls-key server.key.other
"$FERRY" serve bc.oci --port 0 --no-access-log --tls-cert server.crt --tls-key server.key \
  >serve.out 2>serve.log &
SERVE_PID=$!
ALL_SERVER_PIDS+=("$SERVE_PID")
eventually 30 grep -q "^Serving .* on https://" serve.out || fail "serve: $(cat serve.out serve.log)"
SPORT=$(sed -n 's/.* on https:\/\/[^:]*:\([0-9]*\) .*/\1/p' serve.out)
eventually 30 curl -fsS --cacert server.crt -o /dev/null "https://127.0.0.1:$SPORT/v2/health/ready" ||
  fail "serve /v2/health/ready over https"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID" || fail "ferry serve exited $? on SIGTERM"
echo "PASS"
