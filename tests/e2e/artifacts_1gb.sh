#!/usr/bin/env bash
# A large artifact through the proxy with curl: upload, list, download; the bytes must be
# identical and the server's peak RSS must stay bounded (the file never sits in memory).
# FERRY_E2E_ARTIFACT_MB overrides the size (default 1024).
source "$(dirname "$0")/lib.sh"
MB=${FERRY_E2E_ARTIFACT_MB:-1024}
RSS_LIMIT_KB=$((200 * 1024))

start_server
run_id=$(api POST runs/create '{"experiment_id": "0"}' | json 'j.run.info.run_id')
path="0/$run_id/artifacts/weights.bin"

head -c "$((MB * 1024 * 1024))" /dev/urandom >"$WORK/big.bin"
want=$(sha256sum "$WORK/big.bin" | cut -d' ' -f1)

code=$(curl -sS -o "$WORK/put.out" -w '%{http_code}' -T "$WORK/big.bin" \
  "$URL/api/2.0/mlflow-artifacts/artifacts/$path")
[[ $code == 200 ]] || fail "upload answered $code: $(cat "$WORK/put.out")"

listing=$(curl -sS "$URL/api/2.0/mlflow/artifacts/list?run_id=$run_id")
size=$(printf '%s' "$listing" | json 'j.files[0].file_size')
[[ $size == $((MB * 1024 * 1024)) ]] || fail "listing shows size $size: $listing"

code=$(curl -sS -o "$WORK/down.bin" -w '%{http_code}' "$URL/api/2.0/mlflow-artifacts/artifacts/$path")
[[ $code == 200 ]] || fail "download answered $code"
got=$(sha256sum "$WORK/down.bin" | cut -d' ' -f1)
[[ $got == "$want" ]] || fail "sha256 differs: uploaded $want, downloaded $got"

# The blob is stored under its own digest.
[[ -f $WORK/data/artifacts/blobs/sha256/${want:0:2}/$want ]] || fail "blob not content-addressed"

# Overwriting the path with other bytes collects the old blob.
echo small >"$WORK/small.bin"
code=$(curl -sS -o /dev/null -w '%{http_code}' -T "$WORK/small.bin" \
  "$URL/api/2.0/mlflow-artifacts/artifacts/$path")
[[ $code == 200 ]] || fail "overwrite answered $code"
[[ ! -e $WORK/data/artifacts/blobs/sha256/${want:0:2}/$want ]] || fail "old blob not collected"

peak_kb=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER_PID/status")
echo "artifact ${MB} MB: sha256 identical, server peak RSS ${peak_kb} kB"
((peak_kb < RSS_LIMIT_KB)) || fail "server peak RSS ${peak_kb} kB exceeds ${RSS_LIMIT_KB} kB"
stop_server
echo "PASS: large artifact"
