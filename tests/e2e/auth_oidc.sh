#!/usr/bin/env bash
# `ferry server --auth --oidc-issuer ...` against a toy OpenID provider on loopback (keys made
# with `openssl genpkey`, its discovery document and JWKS served by python3 -m http.server,
# tokens minted by tests/e2e/oidc/mint.py with `openssl dgst -sign`), with the real MLflow
# Python client sending MLFLOW_TRACKING_TOKEN: a provider's user is created on first sight
# and gets MANAGE on what they create; the admin group makes admins; expired, wrong-audience,
# wrong-issuer, tampered, alg=none and unknown-key tokens get 401.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/mlflow_python.sh"
source "$(dirname "$0")/oidc/provider.sh"
cd "$WORK"
mlflow_python_env || fail "the MLflow Python client does not import"

echo "--- the provider: keys, discovery document and JWKS on loopback"
start_oidc_provider

echo "--- the flags need --auth"
"$FERRY" server --oidc-issuer "$ISSUER" --oidc-audience ferry >flags.out 2>&1 && fail "started"
has -- "--oidc-\* flags need --auth" flags.out || fail "no flag error: $(cat flags.out)"

export FERRY_ADMIN_PASSWORD=admin-secret-1
start_server --auth --oidc-issuer "$ISSUER" --oidc-audience ferry --oidc-admin-group ferry-admins

# status TOKEN: the HTTP status of experiments/search with that bearer token.
status() {
  curl -s -o "$WORK/body" -w '%{http_code}' -H "Authorization: Bearer $1" \
    "$URL/api/2.0/mlflow/experiments/search?max_results=5"
}

echo "--- alice (RS256): provisioned on first sight, runs through the MLflow client"
ALICE=$(mint --sub alice)
MLFLOW_TRACKING_TOKEN=$ALICE MLFLOW_TRACKING_URI=$URL /usr/bin/python3 - >alice.out <<'PY' ||
import os
import mlflow
from mlflow.server.auth.client import AuthServiceClient
mlflow.set_experiment("oidc-exp")
with mlflow.start_run() as run:
    mlflow.log_param("alpha", 0.5)
    for step in range(3):
        mlflow.log_metric("loss", 1.0 / (step + 1), step=step)
c = AuthServiceClient(os.environ["MLFLOW_TRACKING_URI"])
u = c.get_user("alice")
assert not u.is_admin, u
perms = [(p.experiment_id, p.permission) for p in u.experiment_permissions]
assert perms == [(run.info.experiment_id, "MANAGE")], perms
try:
    c.create_user("mallory", "pw")
    raise SystemExit("alice created a user")
except Exception as e:
    assert "PERMISSION_DENIED" in str(e) or "403" in str(e), e
print(run.info.run_id)
PY
  fail "alice: $(cat alice.out)"
[[ $(curl -s -o /dev/null -w '%{http_code}' -u alice:anything "$URL/api/2.0/mlflow/users/current") == 401 ]] ||
  fail "a provisioned user signed in with a password"

echo "--- an admin-group token (ES256) creates users; the group is not stored"
ADMIN_TOKEN=$(mint --key ec.pem --alg ES256 --kid ec1 --sub ops --groups staff,ferry-admins)
MLFLOW_TRACKING_TOKEN=$ADMIN_TOKEN MLFLOW_TRACKING_URI=$URL /usr/bin/python3 - <<'PY' ||
import os
from mlflow.server.auth.client import AuthServiceClient
c = AuthServiceClient(os.environ["MLFLOW_TRACKING_URI"])
u = c.create_user("bob", "bob-password")
assert u.username == "bob" and not u.is_admin, u
assert not c.get_user("ops").is_admin
PY
  fail "the admin-group token"
[[ $(curl -s -o /dev/null -w '%{http_code}' -u bob:bob-password "$URL/api/2.0/mlflow/users/current") == 200 ]] ||
  fail "bob cannot sign in"

echo "--- tokens that must not pass"
check_401() {
  local name=$1 token=$2 reason=$3 code
  code=$(status "$token")
  [[ $code == 401 ]] || fail "$name token answered $code: $(cat "$WORK/body")"
  has "$reason" "$WORK/body" || fail "$name token: not '$reason': $(cat "$WORK/body")"
}
check_401 expired "$(mint --sub alice --ttl -600)" "Token expired"
check_401 wrong-audience "$(mint --sub alice --aud other)" "Wrong audience"
check_401 wrong-issuer "$(mint --sub alice --iss https://evil.example)" "Wrong issuer"
check_401 tampered "$(mint --sub alice --mode tamper)" "Bad signature"
check_401 alg-none "$(mint --sub alice --mode none)" "Unsupported algorithm none"
check_401 unknown-kid "$(mint --sub alice --kid rsa9)" "Unknown key id rsa9"
check_401 password-user "$(mint --sub admin --groups ferry-admins)" "User admin has a password"
[[ $(status "$ALICE") == 200 ]] || fail "alice's token stopped working: $(cat "$WORK/body")"

echo "--- --oidc-jwks-url instead of discovery, after a restart: the same user"
stop_server
rm -f idp/.well-known/openid-configuration
start_server --auth --oidc-issuer "$ISSUER" --oidc-audience ferry --oidc-jwks-url "$ISSUER/keys/other.json"
[[ $(status "$(mint --sub alice --key ec.pem --alg ES256 --kid ec1)") == 200 ]] ||
  fail "with --oidc-jwks-url: $(cat "$WORK/body")"
grep -q '"GET /keys/other.json' idp.log || fail "the JWKS URL was not fetched: $(cat idp.log)"
curl -s -u admin:admin-secret-1 "$URL/api/2.0/mlflow/users/get?username=alice" |
  has '"experiment_permissions":\[{' || fail "alice lost her grant"
stop_server

echo "--- a discovery document that names another issuer is not trusted"
mkdir -p idp/other/.well-known
printf '{"issuer":"%s","jwks_uri":"%s/jwks.json"}\n' "$ISSUER" "$ISSUER" \
  >idp/other/.well-known/openid-configuration
start_server --auth --oidc-issuer "$ISSUER/other" --oidc-audience ferry
code=$(status "$(mint --sub alice --iss "$ISSUER/other")")
[[ $code == 401 ]] || fail "a token of a mismatched provider answered $code"
has "names another issuer" "$WORK/body" || fail "not the discovery error: $(cat "$WORK/body")"
[[ $(curl -s -o /dev/null -w '%{http_code}' -u admin:admin-secret-1 "$URL/api/2.0/mlflow/users/current") == 200 ]] ||
  fail "Basic stopped working while the provider is unusable"
stop_server
echo "PASS"
