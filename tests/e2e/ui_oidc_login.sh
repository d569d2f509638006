#!/usr/bin/env bash
# The web UI's sign-in at an OpenID provider (authorization code flow with PKCE, docs/AUTH.md):
# `ferry server --auth --oidc-issuer ...` against tests/e2e/oidc/test_provider.js, a test
# provider in Node on loopback (the stand-in for a real IdP, none being installable from
# Debian here; its key is made with `openssl genpkey` as in auth_oidc.sh). Chromium clicks
# "Sign in with HOST" and lands back signed in as the provider's user (tests/ui/
# oidc_login_test.js); then curl: a confidential client's secret and the PKCE verifier reach
# the token endpoint, a reused or forged state is refused, a wrong PKCE verifier, a wrong
# nonce and a provider error are refused naming why, `next=//evil.example` is refused, and
# no answer echoes a token. With --enable-workspaces and --oidc-admin-group, a session keeps
# its id_token's groups: group `ml-team`, a viewer in team-a, reads team-a with the cookie
# (a session without it gets 404), the admin group's session lists the users, a token made
# through the tokens API carries no groups, and logging out ends the session.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/ports.sh"
UI_TESTS=$(cd "$(dirname "$0")/../ui" && pwd)
PROVIDER_JS="$(cd "$(dirname "$0")" && pwd)/oidc/test_provider.js"
"$UI_TESTS/install.sh"
cd "$WORK"

echo "--- the test provider"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem 2>/dev/null
read -r IDP_PORT <<<"$(free_tcp_ports 1)" || fail "no free port"
ISSUER="http://127.0.0.1:$IDP_PORT"
node "$PROVIDER_JS" "$IDP_PORT" rsa.pem ferry-ui oidc-alice ui-client-secret >idp.out 2>&1 &
IDP_PID=$!
EXTRA_CLEANUP+=("kill $IDP_PID")
eventually 10 has ready idp.out || fail "the provider did not start: $(cat idp.out)"
printf 'ui-client-secret\n' >client-secret

export FERRY_ADMIN_PASSWORD=ui-admin-password
start_server --auth --oidc-issuer "$ISSUER" --oidc-audience ferry-api --oidc-client-id ferry-ui \
  --oidc-client-secret-file "$WORK/client-secret"

echo "--- the session status offers the sign-in"
curl -fsS "$URL/api/ferry/v1/auth/session" >session.json
[[ $(json 'j.oidc_login + " " + j.oidc_provider' <session.json) == "true 127.0.0.1:$IDP_PORT" ]] ||
  fail "session status: $(cat session.json)"

echo "--- Chromium signs in through the provider"
node "$UI_TESTS/oidc_login_test.js" "$URL" "127.0.0.1:$IDP_PORT" oidc-alice ||
  fail "the UI's OIDC sign-in"
has '"secret":true' <(curl -fsS "$ISSUER/log") || fail "the client secret did not reach the provider"

# begin NEXT: the callback URL the provider sends the browser back to (it auto-approves).
begin() {
  local to_provider
  to_provider=$(curl -sS -o "$WORK/begin.body" -w '%{redirect_url}' -G \
    --data-urlencode "next=$1" "$URL/api/ferry/v1/auth/oidc/login")
  [[ $to_provider == "$ISSUER/authorize?"* ]] || fail "login did not redirect: $(cat "$WORK/begin.body")"
  [[ $to_provider == *"code_challenge_method=S256"* && $to_provider == *"nonce="* ]] ||
    fail "no PKCE or nonce: $to_provider"
  [[ $to_provider != *ui-client-secret* ]] || fail "the secret went to the browser"
  curl -sS -o /dev/null -w '%{redirect_url}' "$to_provider"
}
# callback URL: "STATUS LOCATION", the body in $WORK/callback.body, headers in callback.headers.
callback() {
  curl -sS -o "$WORK/callback.body" -D "$WORK/callback.headers" -w '%{http_code} %{redirect_url}' "$1"
}
no_token_echo() {
  ! has -E 'eyJ[A-Za-z0-9_-]{20,}|ferry_[A-Za-z0-9]' "$WORK/callback.body" ||
    fail "a token in the answer: $(cat "$WORK/callback.body")"
}

echo "--- curl: a sign-in, then its state once more"
BACK=$(begin "/#/runs")
[[ $BACK == "$URL/api/ferry/v1/auth/oidc/callback?code="* ]] || fail "provider redirect: $BACK"
read -r STATUS LOCATION <<<"$(callback "$BACK")"
[[ $STATUS == 302 && $LOCATION == "$URL/#/runs" ]] || fail "callback: $STATUS $LOCATION $(cat callback.body)"
COOKIE=$(sed -n 's/^Set-Cookie: \(ferry_session=[^;]*\);.*/\1/ip' callback.headers | tr -d '\r')
has -i '^Set-Cookie: ferry_session=.*HttpOnly; SameSite=Lax' callback.headers || fail "cookie flags"
curl -fsS -H "Cookie: $COOKIE" "$URL/api/2.0/mlflow/users/current" | has '"username":"oidc-alice"' ||
  fail "the session cookie does not act as oidc-alice"
read -r STATUS _ <<<"$(callback "$BACK")"
[[ $STATUS == 403 ]] && has "already used sign-in state" callback.body ||
  fail "a reused state: $STATUS $(cat callback.body)"
no_token_echo

echo "--- a forged state"
read -r STATUS _ <<<"$(callback "$URL/api/ferry/v1/auth/oidc/callback?code=abc&state=forged")"
[[ $STATUS == 403 ]] || fail "a forged state: $STATUS $(cat callback.body)"

echo "--- a wrong PKCE verifier (the provider recorded another challenge)"
curl -fsS -X POST "$ISSUER/control?next=bad_pkce" >/dev/null
read -r STATUS _ <<<"$(callback "$(begin /)")"
[[ $STATUS == 401 ]] && has "The provider refused the code: HTTP 400, invalid_grant, PKCE verification failed" callback.body ||
  fail "a wrong verifier: $STATUS $(cat callback.body)"
! has -i '^Set-Cookie' callback.headers || fail "a refused sign-in set a cookie"

echo "--- an id_token with another nonce"
curl -fsS -X POST "$ISSUER/control?next=wrong_nonce" >/dev/null
read -r STATUS _ <<<"$(callback "$(begin /)")"
[[ $STATUS == 401 ]] && has "The id_token is invalid: wrong nonce" callback.body ||
  fail "a wrong nonce: $STATUS $(cat callback.body)"
no_token_echo

echo "--- the provider answers an error"
STATE=$(begin / | sed -n 's/.*[?&]state=\([^&]*\).*/\1/p')
read -r STATUS _ <<<"$(callback "$URL/api/ferry/v1/auth/oidc/callback?error=access_denied&error_description=User+said+no&state=$STATE")"
[[ $STATUS == 401 ]] && has "The provider refused the sign-in: access_denied (User said no)" callback.body ||
  fail "a provider error: $STATUS $(cat callback.body)"

echo "--- no open redirect"
for next in //evil.example https://evil.example '/\evil.example' '\\evil.example'; do
  STATUS=$(curl -sS -o next.body -w '%{http_code}' -G --data-urlencode "next=$next" \
    "$URL/api/ferry/v1/auth/oidc/login")
  [[ $STATUS == 400 ]] && has "Invalid value for parameter 'next'" next.body || fail "next=$next: $STATUS"
done

echo "--- a session keeps the id_token's groups: group roles and the admin group"
stop_server
start_server_in "$WORK/groups" --auth --enable-workspaces --oidc-issuer "$ISSUER" \
  --oidc-audience ferry-api --oidc-client-id ferry-ui --oidc-client-secret-file "$WORK/client-secret" \
  --oidc-admin-group ferry-admins
ADMIN=(-u admin:ui-admin-password)
IN_A=(-H 'X-MLFLOW-WORKSPACE: team-a')
# status METHOD PATH [CURL ARGS...]: the HTTP status only; the body is in $WORK/body.
status() {
  local method=$1 path=$2
  shift 2
  curl -s -o "$WORK/body" -w '%{http_code}' -X "$method" "$@" "$URL$path"
}
# sign_in USER GROUPS: signs in through the provider as USER whose id_token carries GROUPS
# (comma-separated, may be empty); prints the session cookie.
sign_in() {
  curl -fsS -X POST "$ISSUER/control?user=$1&groups=$2" >/dev/null
  local status location
  read -r status location <<<"$(callback "$(begin /)")"
  [[ $status == 302 ]] || fail "sign-in of $1: $status $location $(cat "$WORK/callback.body")"
  sed -n 's/^Set-Cookie: \(ferry_session=[^;]*\);.*/\1/ip' "$WORK/callback.headers" | tr -d '\r'
}
[[ $(status POST /api/3.0/mlflow/workspaces "${ADMIN[@]}" -H 'Content-Type: application/json' \
  --data '{"name":"team-a"}') == 201 ]] || fail "create team-a: $(cat body)"
[[ $(status PUT /api/ferry/v1/workspaces/team-a/members "${ADMIN[@]}" -H 'Content-Type: application/json' \
  --data '{"principal":"ml-team","kind":"group","role":"viewer"}') == 200 ]] || fail "group role: $(cat body)"
ML=$(sign_in oidc-ml staff,ml-team)
PLAIN=$(sign_in oidc-plain "")
BOSS=$(sign_in oidc-boss ferry-admins)
[[ -n $ML && -n $PLAIN && -n $BOSS ]] || fail "a sign-in set no cookie"
[[ $(status GET "/api/2.0/mlflow/experiments/search?max_results=5" -H "Cookie: $ML" "${IN_A[@]}") == 200 ]] ||
  fail "ml-team's session could not read team-a: $(cat body)"
[[ $(status GET "/api/2.0/mlflow/experiments/search?max_results=5" -H "Cookie: $PLAIN" "${IN_A[@]}") == 404 ]] ||
  fail "a session without the group read team-a: $(cat body)"
[[ $(status GET /api/3.0/mlflow/workspaces -H "Cookie: $ML") == 200 ]] &&
  json 'j.workspaces.map(w => w.name).join(",")' <body | has -x 'default,team-a' ||
  fail "ml-team's workspaces: $(cat body)"
[[ $(status GET /api/2.0/mlflow/users/list -H "Cookie: $BOSS") == 200 ]] ||
  fail "the admin group's session is no admin: $(cat body)"
[[ $(status GET /api/2.0/mlflow/users/list -H "Cookie: $ML") == 403 ]] ||
  fail "a session outside the admin group listed the users: $(cat body)"
curl -fsS "$URL/api/ferry/v1/auth/session" -H "Cookie: $BOSS" | has '"is_admin":true' ||
  fail "the session status of the admin group's session"
[[ $(status GET "/api/2.0/mlflow/users/get?username=oidc-boss" "${ADMIN[@]}") == 200 ]] &&
  has '"is_admin":false' body || fail "the admin group made a stored admin: $(cat body)"

echo "--- a token made through the tokens API carries no groups"
[[ $(status POST /api/ferry/v1/tokens -H "Cookie: $ML" -H "Origin: $URL" -H 'Content-Type: application/json' \
  --data '{"name":"ci","groups":["ml-team"],"admin_group":true}') == 200 ]] || fail "token: $(cat body)"
API_TOKEN=$(json 'j.token' <body)
[[ $(status GET "/api/2.0/mlflow/experiments/search?max_results=5" -H "Authorization: Bearer $API_TOKEN" \
  "${IN_A[@]}") == 404 ]] || fail "an API token read team-a through the session's group: $(cat body)"

echo "--- logging out ends a session with groups"
[[ $(status POST /api/ferry/v1/auth/logout -H "Cookie: $ML" -H "Origin: $URL" \
  -H 'Content-Type: application/json' --data '{}') == 200 ]] ||
  fail "logout: $(cat body)"
[[ $(status GET "/api/2.0/mlflow/experiments/search?max_results=5" -H "Cookie: $ML" "${IN_A[@]}") == 401 ]] ||
  fail "a logged-out session still read team-a: $(cat body)"

echo "--- without --oidc-issuer the routes and the button are absent"
stop_server
start_server_in "$WORK/plain" --auth
curl -fsS "$URL/api/ferry/v1/auth/session" | has -v oidc_login || fail "oidc_login without an issuer"
[[ $(curl -sS -o /dev/null -w '%{http_code}' "$URL/api/ferry/v1/auth/oidc/login") == 404 ]] ||
  fail "the login route without an issuer"
echo "PASS"
