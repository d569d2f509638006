#!/usr/bin/env bash
# `ferry package push/pull` against Debian's docker-registry over https with auth: first
# htpasswd (Basic), then token auth (a Node token service signing RS256 JWTs that the
# registry trusts through rootcertbundle). Credentials from FERRY_REGISTRY_USERNAME/PASSWORD
# and from docker's config.json; the CA from --ca-cert and from SSL_CERT_FILE. A wrong
# password, no credentials or an untrusted certificate each fail with a clear error naming
# the registry; no password or token ever shows in the output.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/oci_registry.sh"
TOKEN_PID=""
trap 'stop_oci_registry; [[ -z $TOKEN_PID ]] || kill "$TOKEN_PID" 2>/dev/null; _ferry_server_cleanup' EXIT
LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib" && pwd)
cd "$WORK"
unset FERRY_REGISTRY_USERNAME FERRY_REGISTRY_PASSWORD SSL_CERT_FILE
export DOCKER_CONFIG=$WORK/no-docker-config

ALICE_PASS='Alice-Pa55-Sekret'
BOB_PASS='Bob-T0ken-Sekret'
WRONG_PASS='Wr0ng-Guess-Sekret'

# expect_fail WANT CMD...: CMD must exit 1 and print WANT on stderr.
expect_fail() {
  local want=$1 rc=0
  shift
  "$@" >out.txt 2>err.txt || rc=$?
  [[ $rc == 1 ]] || fail "$* exited $rc, want 1: $(cat out.txt err.txt)"
  grep -qF -- "$want" err.txt || fail "$*: want '$want' in: $(cat err.txt)"
  cat out.txt err.txt >>all-output.txt
  echo "  refused as expected: $(cat err.txt)"
}
# run_ok CMD...: CMD must succeed; its output is kept for the leak check.
run_ok() {
  "$@" >out.txt 2>err.txt || fail "$*: $(cat out.txt err.txt)"
  cat out.txt err.txt >>all-output.txt
}
# no_leaks: no password, Basic credential or JWT in anything ferry printed.
no_leaks() {
  local secret
  for secret in "$ALICE_PASS" "$BOB_PASS" "$WRONG_PASS" \
    "$(printf 'alice:%s' "$ALICE_PASS" | base64)" "$(printf 'bob:%s' "$BOB_PASS" | base64)" eyJ; do
    ! grep -qF -- "$secret" all-output.txt || fail "a credential shows in ferry's output: $secret"
  done
}

echo "--- certificates: the registry's (127.0.0.1) and the token signer's"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=localhost \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout server.key -out server.crt \
  2>/dev/null || fail "openssl server cert"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=ferry-token-signer \
  -keyout token.key -out token.crt 2>/dev/null || fail "openssl token cert"

echo "--- a package with a 3 MB blob (pushed in 1 MiB chunks)"
mkdir -p src && head -c 3000000 /dev/urandom >src/weights.bin
"$FERRY" package build src --name churn --version 2 -o pkg.oci --created 2025-01-01T00:00:00Z \
  >/dev/null || fail "package build"

echo "== TLS + htpasswd (Basic)"
htpasswd -Bbn alice "$ALICE_PASS" >htpasswd 2>/dev/null || fail "htpasswd"
start_oci_registry "$WORK/reg-basic" --tls "$WORK/server.crt" "$WORK/server.key" \
  --htpasswd "$WORK/htpasswd"
REF="https://$REGISTRY_HOST/models/churn:2"
CA=(--ca-cert server.crt)
expect_fail "certificate problem: self-signed certificate (a private CA? trust it with --ca-cert FILE)" \
  "$FERRY" package push pkg.oci "$REF" --quiet
expect_fail "registry $REGISTRY_HOST requires authentication: set FERRY_REGISTRY_USERNAME" \
  "$FERRY" package push pkg.oci "$REF" --quiet "${CA[@]}"
FERRY_REGISTRY_USERNAME=alice FERRY_REGISTRY_PASSWORD=$WRONG_PASS expect_fail \
  "registry $REGISTRY_HOST refused the credentials of user 'alice' (from FERRY_REGISTRY_USERNAME/PASSWORD)" \
  "$FERRY" package push pkg.oci "$REF" --quiet "${CA[@]}"
FERRY_REGISTRY_USERNAME=alice FERRY_REGISTRY_PASSWORD=$ALICE_PASS run_ok \
  "$FERRY" package push pkg.oci "$REF" --chunk-mib 1 "${CA[@]}"
has "pushed sha256:" out.txt || fail "push: $(cat out.txt)"
digest=$(sed -n 's/^pushed \(sha256:[0-9a-f]*\):.*/\1/p' out.txt)
code=$(curl -s --cacert server.crt -o /dev/null -w '%{http_code}' "$REGISTRY_URL/v2/models/churn/tags/list")
[[ $code == 401 ]] || fail "the registry let an anonymous client list tags: $code"
# The CA from SSL_CERT_FILE, the credentials from docker's config.json.
mkdir -p docker
printf '{"auths": {"%s": {"auth": "%s"}}}\n' "https://$REGISTRY_HOST" \
  "$(printf 'alice:%s' "$ALICE_PASS" | base64 -w0)" >docker/config.json
DOCKER_CONFIG=$WORK/docker SSL_CERT_FILE=$WORK/server.crt run_ok \
  "$FERRY" package pull "$REF" -o pulled-basic
has "pulled $digest" out.txt || fail "pull: $(cat out.txt)"
"$FERRY" package verify pulled-basic >/dev/null 2>&1 || fail "the pulled package does not verify"
cmp -s "pkg.oci/blobs/sha256/${digest#sha256:}" "pulled-basic/blobs/sha256/${digest#sha256:}" ||
  fail "manifest bytes differ"
stop_oci_registry

echo "== TLS + token auth (RS256 JWTs from a token service)"
TPORT=$(free_tcp_ports 1)
node "$LIB/registry_token_server.js" "$TPORT" server.crt server.key token.crt token.key \
  ferry-test-issuer bob "$BOB_PASS" >token.out 2>token.log &
TOKEN_PID=$!
eventually 10 grep -q listening token.out || fail "token service: $(cat token.log)"
start_oci_registry "$WORK/reg-token" --tls "$WORK/server.crt" "$WORK/server.key" \
  --token "https://127.0.0.1:$TPORT/token" ferry-registry ferry-test-issuer "$WORK/token.crt"
REF="https://$REGISTRY_HOST/models/churn:2"
expect_fail "registry $REGISTRY_HOST requires authentication" \
  "$FERRY" package pull "$REF" -o nothing "${CA[@]}"
FERRY_REGISTRY_USERNAME=bob FERRY_REGISTRY_PASSWORD=$WRONG_PASS expect_fail \
  "registry $REGISTRY_HOST refused the credentials of user 'bob'" \
  "$FERRY" package push pkg.oci "$REF" --quiet "${CA[@]}"
: >token.log
FERRY_REGISTRY_USERNAME=bob FERRY_REGISTRY_PASSWORD=$BOB_PASS run_ok \
  "$FERRY" package push pkg.oci "$REF" --chunk-mib 1 "${CA[@]}"
has "pushed $digest" out.txt || fail "token push: $(cat out.txt err.txt)"
tokens=$(grep -c "GET /token user=bob" token.log)
# One token per scope (pull, then pull+push), reused for the 10-odd registry requests.
((tokens >= 1 && tokens <= 3)) || fail "the push fetched $tokens tokens: $(cat token.log)"
FERRY_REGISTRY_USERNAME=bob FERRY_REGISTRY_PASSWORD=$BOB_PASS run_ok \
  "$FERRY" package pull "$REF" -o pulled-token "${CA[@]}"
has "pulled $digest" out.txt || fail "token pull: $(cat out.txt)"
cmp -s "pkg.oci/blobs/sha256/${digest#sha256:}" "pulled-token/blobs/sha256/${digest#sha256:}" ||
  fail "manifest bytes differ"
no_leaks
echo PASS
