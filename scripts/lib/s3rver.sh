# Start and stop s3rver (npm), an S3-compatible server, for tests: loopback only, a free
# port, data under a scratch directory, the bucket "artifacts" created at start. s3rver
# checks the access key (S3RVER/S3RVER) but not SigV4 signatures: net/s3_client_test.cc
# proves the signing against AWS's published examples instead.
# Source this file; start_s3rver DIR sets S3RVER_PID, S3_ENDPOINT, S3_BUCKET and exports the
# AWS variables MLflow users set; stop_s3rver stops it by PID (tests call it from their EXIT
# trap). Modelled on ../shared/reference/s3/start-s3rver.sh.

source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

S3RVER_PID=""
S3_ENDPOINT=""
S3_BUCKET=artifacts
_S3RVER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../tests/s3" && pwd)"

# install_s3rver: npm install into tests/s3/node_modules once (versions in package.json).
install_s3rver() {
  [[ -f $_S3RVER_DIR/node_modules/s3rver/bin/s3rver.js ]] && return 0
  (cd "$_S3RVER_DIR" && npm install --no-package-lock --no-audit --no-fund --loglevel=error \
    >/dev/null) || { echo "npm install s3rver failed" >&2; return 1; }
}

# start_s3rver DIR: data under DIR/data, log in DIR/s3rver.log; returns once it answers.
start_s3rver() {
  local dir=$1 port code
  install_s3rver || return 1
  mkdir -p "$dir/data"
  for _ in 1 2 3; do
    port=$(free_tcp_ports 1) || return 1
    node "$_S3RVER_DIR/node_modules/s3rver/bin/s3rver.js" -d "$dir/data" -a 127.0.0.1 \
      -p "$port" --configure-bucket "$S3_BUCKET" --silent >>"$dir/s3rver.log" 2>&1 &
    S3RVER_PID=$!
    for _ in $(seq 1 100); do
      code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true)
      if [[ $code != 000 ]]; then
        S3_ENDPOINT="http://127.0.0.1:$port"
        export S3_ENDPOINT S3_BUCKET AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER
        export AWS_DEFAULT_REGION=us-east-1
        return 0
      fi
      kill -0 "$S3RVER_PID" 2>/dev/null || break # lost the port race: try another
      sleep 0.1
    done
    stop_s3rver
  done
  echo "s3rver did not start; its log:" >&2
  cat "$dir/s3rver.log" >&2
  return 1
}

stop_s3rver() {
  [[ -n $S3RVER_PID ]] || return 0
  kill "$S3RVER_PID" 2>/dev/null || true
  wait "$S3RVER_PID" 2>/dev/null || true
  S3RVER_PID=""
}
