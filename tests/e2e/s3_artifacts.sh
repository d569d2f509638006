#!/usr/bin/env bash
# Artifacts in S3: `ferry server --artifacts-destination s3://BUCKET/PREFIX` against s3rver
# (npm), with the AWS variables MLflow users set. The unmodified MLflow Python client logs a
# small file and a 21 MiB one (uploaded in 8 MiB parts, copied under its digest by the S3
# server) and downloads both byte for byte; a byte range comes back from S3; blobs sit under
# PREFIX/blobs/sha256 and no temporary object is left; after kill -9 a new server on the same
# database and bucket serves them; a wrong key or bucket stops start-up with S3's reason.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/mlflow_python.sh"
source "$(dirname "$0")/../../scripts/lib/s3rver.sh"
EXTRA_CLEANUP+=("stop_s3rver")
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

echo "--- what the bucket holds"
objects=$(cd "$WORK/s3/data/$S3_BUCKET" && find . -name '*._S3rver_object' | sed 's/._S3rver_object$//')
big_sum=$(sha256sum big.bin | cut -d' ' -f1)
has -x "./team-a/ferry/blobs/sha256/${big_sum:0:2}/$big_sum" <<<"$objects" || fail "no blob: $objects"
if grep -q "/tmp/" <<<"$objects"; then fail "temporary objects left: $objects"; fi

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
echo "s3_artifacts: ok"
