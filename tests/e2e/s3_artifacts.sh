#!/usr/bin/env bash
# Artifacts in S3: `ferry server --artifacts-destination s3://BUCKET/PREFIX` against s3rver
# (npm), with the AWS variables MLflow users set. The unmodified MLflow Python client logs a
# small file and a 21 MiB one (uploaded in 8 MiB parts, copied under its digest by the S3
# server) and downloads both byte for byte; a byte range comes back from S3; blobs sit under
# PREFIX/blobs/sha256 and no temporary object is left; after kill -9 a new server on the same
# database and bucket serves them; a wrong key or bucket stops start-up with S3's reason.
# Multipart upload through the proxy (mpu/create, part URLs, complete, abort): MLflow's client
# with MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD uploads a 12 MiB file in 5 MiB parts that end up
# under their digest; curl drives the routes one by one (abort survives s3rver's 405); with a
# local store mpu/create answers MLflow's 501 NOT_IMPLEMENTED. A package registered to the
# server keeps its blobs in the bucket, none on local disk.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/mlflow_python.sh"
source "$(dirname "$0")/../../scripts/lib/s3rver.sh"
EXTRA_CLEANUP+=("stop_s3rver")
DATA=$(cd "$(dirname "$0")/../data" && pwd)
cd "$WORK"
mlflow_python_env || fail "the MLflow Python client does not import"
start_s3rver "$WORK/s3" || fail "s3rver did not start"
S3_ARGS=(--artifacts-destination "s3://$S3_BUCKET/team-a/ferry" --s3-endpoint-url "$S3_ENDPOINT")
start_server "${S3_ARGS[@]}"

echo "--- the MLflow client logs and downloads artifacts"
head -c 22020096 /dev/urandom >big.bin # 21 MiB: three parts
echo "hello from s3" >small.txt
MLFLOW_TRACKING_URI=$URL /usr/bin/python3 - >run.txt 2>py.err <<'PY' || { cat py.err; fail "mlflow client"; }
import mlflow
mlflow.set_experiment("s3")
with mlflow.start_run() as run:
    mlflow.log_artifact("small.txt")
    mlflow.log_artifact("big.bin", artifact_path="data")
print(run.info.run_id)
PY
RUN=$(tail -1 run.txt)
mkdir -p down
MLFLOW_TRACKING_URI=$URL /usr/bin/python3 - "$RUN" >list.txt 2>py.err <<'PY' || { cat py.err; fail "download"; }
import sys, mlflow
c = mlflow.MlflowClient()
run = sys.argv[1]
print(sorted((f.path, f.file_size) for f in c.list_artifacts(run, "data")))
c.download_artifacts(run, "small.txt", "down")
c.download_artifacts(run, "data/big.bin", "down")
PY
has "('data/big.bin', 22020096)" list.txt || fail "list: $(cat list.txt)"
cmp small.txt down/small.txt || fail "small.txt differs"
cmp big.bin down/data/big.bin || fail "big.bin differs"

echo "--- a byte range, straight from S3"
EXP=$(api GET "runs/get?run_id=$RUN" | json 'j.run.info.experiment_id')
ART="/api/2.0/mlflow-artifacts/artifacts/$EXP/$RUN/artifacts/data/big.bin"
curl -fsS -H 'Range: bytes=8388600-8388615' "$URL$ART" >range.bin || fail "range request"
cmp range.bin <(tail -c +8388601 big.bin | head -c 16) || fail "range bytes differ"

echo "--- the UI's get-artifact, from S3 on the artifact worker"
curl -fsS "$URL/get-artifact?run_id=$RUN&path=small.txt" | cmp - small.txt || fail "get-artifact"
curl -fsS "$URL/get-artifact?run_id=$RUN&path=data/big.bin" | cmp - big.bin || fail "get-artifact big"

echo "--- what the bucket holds"
objects=$(cd "$WORK/s3/data/$S3_BUCKET" && find . -name '*._S3rver_object' | sed 's/._S3rver_object$//')
big_sum=$(sha256sum big.bin | cut -d' ' -f1)
has -x "./team-a/ferry/blobs/sha256/${big_sum:0:2}/$big_sum" <<<"$objects" || fail "no blob: $objects"
if grep -q "/tmp/" <<<"$objects"; then fail "temporary objects left: $objects"; fi

echo "--- multipart upload through the proxy: the MLflow client"
head -c 12582912 /dev/urandom >mpu.bin # 12 MiB: parts of 5, 5 and 2 MiB
MLFLOW_TRACKING_URI=$URL MLFLOW_ENABLE_PROXY_MULTIPART_UPLOAD=true \
  MLFLOW_MULTIPART_UPLOAD_MINIMUM_FILE_SIZE=1 MLFLOW_MULTIPART_UPLOAD_CHUNK_SIZE=5242880 \
  /usr/bin/python3 - "$RUN" >mpu.out 2>mpu.err <<'PY' || { cat mpu.err; fail "mpu client"; }
import logging, sys, mlflow
from unittest import mock
from mlflow.store.artifact.http_artifact_repo import HttpArtifactRepository
calls = []
real = HttpArtifactRepository.complete_multipart_upload
def spy(self, *a, **k):
    calls.append("complete")
    return real(self, *a, **k)
with mock.patch.object(HttpArtifactRepository, "complete_multipart_upload", spy):
    mlflow.MlflowClient().log_artifact(sys.argv[1], "mpu.bin", "mpu")
print(calls)
PY
has "\['complete'\]" mpu.out || fail "the client did not use mpu: $(cat mpu.out mpu.err)"
if has "Failed to upload" mpu.err; then fail "mpu failed: $(cat mpu.err)"; fi
curl -fsS "$URL/api/2.0/mlflow-artifacts/artifacts/$EXP/$RUN/artifacts/mpu/mpu.bin" |
  cmp - mpu.bin || fail "mpu.bin differs"
mpu_sum=$(sha256sum mpu.bin | cut -d' ' -f1)
objects=$(cd "$WORK/s3/data/$S3_BUCKET" && find . -name '*._S3rver_object' | sed 's/._S3rver_object$//')
has -x "./team-a/ferry/blobs/sha256/${mpu_sum:0:2}/$mpu_sum" <<<"$objects" || fail "no mpu blob"
if grep -q "/tmp/" <<<"$objects"; then fail "temporary objects left: $objects"; fi

echo "--- multipart upload through the proxy: curl, route by route"
MPU="$URL/api/2.0/mlflow-artifacts/mpu"
DIR="$EXP/$RUN/artifacts/curl"
curl -fsS -H 'Content-Type: application/json' -d '{"path": "/home/me/two.bin", "num_parts": 2}' \
  "$MPU/create/$DIR" >create.json || fail "create"
UPLOAD=$(json 'j.upload_id' <create.json)
head -c 5242880 /dev/urandom >p1.bin
echo "the last part" >p2.bin
for n in 1 2; do
  url=$(json "j.credentials[$((n - 1))].url" <create.json)
  [[ $(json "j.credentials[$((n - 1))].part_number" <create.json) == "$n" ]] || fail "part number"
  curl -fsS -D "h$n.txt" -o /dev/null -X PUT --data-binary "@p$n.bin" "$url" || fail "part $n"
done
etag1=$(grep -i '^etag:' h1.txt | cut -d' ' -f2 | tr -d '\r')
etag2=$(grep -i '^etag:' h2.txt | cut -d' ' -f2 | tr -d '\r')
[[ -n $etag1 && -n $etag2 ]] || fail "no ETag: $(cat h1.txt)"
# Parts listed out of order, as a thread pool finishes them.
node -e 'process.stdout.write(JSON.stringify({path: "/home/me/two.bin", upload_id: process.argv[1],
  parts: [{part_number: 2, etag: process.argv[3]}, {part_number: 1, etag: process.argv[2]}]}))' \
  "$UPLOAD" "$etag1" "$etag2" >complete.json
curl -fsS -H 'Content-Type: application/json' -d @complete.json "$MPU/complete/$DIR" >/dev/null ||
  fail "complete"
curl -fsS "$URL/api/2.0/mlflow-artifacts/artifacts/$DIR/two.bin" | cmp - <(cat p1.bin p2.bin) ||
  fail "two.bin differs"
curl -fsS -H 'Content-Type: application/json' -d '{"path": "x.bin", "num_parts": 1}' \
  "$MPU/create/$DIR" >create2.json || fail "create 2"
UPLOAD2=$(json 'j.upload_id' <create2.json)
status=$(curl -sS -o abort.out -w '%{http_code}' -H 'Content-Type: application/json' \
  -d "{\"path\": \"x.bin\", \"upload_id\": \"$UPLOAD2\"}" "$MPU/abort/$DIR")
[[ $status == 200 ]] || fail "abort -> $status: $(cat abort.out)"
status=$(curl -sS -o bad.out -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"path": "x.bin", "upload_id": "../../etc.passwd"}' "$MPU/abort/$DIR")
[[ $status == 400 ]] || fail "a forged upload_id -> $status: $(cat bad.out)"

echo "--- a package registered to the server: its blobs are in the bucket"
"$FERRY" train logistic --data "$DATA/breast_cancer.csv" --target target --no-tracking -o lr.oci \
  >train.log 2>&1 || fail "train: $(cat train.log)"
"$FERRY" models register s3pkg --package lr.oci --tracking-uri "$URL" >reg.out 2>reg.err ||
  fail "register: $(cat reg.err)"
objects=$(cd "$WORK/s3/data/$S3_BUCKET" && find . -name '*._S3rver_object' | sed 's/._S3rver_object$//')
if [[ -d lr.oci/blobs ]]; then pkg_blobs=lr.oci/blobs/sha256; else
  mkdir -p lr && tar -xf lr.oci -C lr && pkg_blobs=lr/blobs/sha256; fi
n=0
for blob in "$pkg_blobs"/*; do
  hex=$(basename "$blob")
  has -x "./team-a/ferry/blobs/sha256/${hex:0:2}/$hex" <<<"$objects" || fail "package blob $hex not in S3"
  n=$((n + 1))
done
((n >= 3)) || fail "only $n package blobs"
if find "$WORK/data" -path '*blobs/sha256*' -type f | grep -q .; then
  fail "package blobs on local disk: $(find "$WORK/data" -path '*blobs/sha256*' -type f | head -3)"
fi

echo "--- kill -9, then a new server on the same database and bucket"
kill9_server
start_server "${S3_ARGS[@]}"
curl -fsS "$URL$ART" | cmp - big.bin || fail "big.bin after restart"

echo "--- a wrong key or bucket stops start-up with S3's reason"
stop_server
if AWS_ACCESS_KEY_ID=NOT-A-KEY "$FERRY" server --port 0 --quiet \
  --backend-store-uri "sqlite:///$WORK/data/ferry.db" "${S3_ARGS[@]}" >bad.out 2>bad.err; then
  fail "started with a wrong key"
fi
has "s3://$S3_BUCKET/team-a/ferry/" bad.err || fail "no location in: $(cat bad.err)"
has "InvalidAccessKeyId" bad.err || fail "no S3 reason in: $(cat bad.err)"
if "$FERRY" server --port 0 --quiet --backend-store-uri "sqlite:///$WORK/data/ferry.db" \
  --artifacts-destination s3://no-such-bucket --s3-endpoint-url "$S3_ENDPOINT" >bad.out 2>bad.err; then
  fail "started with a missing bucket"
fi
has "NoSuchBucket" bad.err || fail "no S3 reason in: $(cat bad.err)"
echo "--- a local store has no multipart upload: MLflow's answer"
start_server_in "$WORK/local"
status=$(curl -sS -o local.out -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"path": "x.bin", "num_parts": 2}' "$URL/api/2.0/mlflow-artifacts/mpu/create/0/r/artifacts")
[[ $status == 501 ]] || fail "local mpu/create -> $status: $(cat local.out)"
has '"error_code":"NOT_IMPLEMENTED"' local.out || fail "$(cat local.out)"
has '"message":"Multipart upload is not supported for the current artifact repository"' local.out ||
  fail "$(cat local.out)"
stop_server
echo "s3_artifacts: ok"
