# A toy OpenID provider on loopback for the OIDC tests (source it after lib.sh, in $WORK):
# RSA and EC keys made with `openssl genpkey`, its discovery document and JWKS (also under
# keys/other.json) served by python3 -m http.server, tokens minted by mint.py with `openssl
# dgst -sign`. start_oidc_provider sets ISSUER and stops the server when the test exits.
source "$(dirname "${BASH_SOURCE[0]}")/../../../scripts/lib/ports.sh"
MINT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/mint.py"

start_oidc_provider() {
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa.pem 2>/dev/null
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ec.pem 2>/dev/null
  read -r IDP_PORT <<<"$(free_tcp_ports 1)" || fail "no free port"
  ISSUER="http://127.0.0.1:$IDP_PORT"
  mkdir -p idp/.well-known idp/keys
  /usr/bin/python3 "$MINT" jwks rsa.pem ec.pem >idp/jwks.json || fail "jwks"
  cp idp/jwks.json idp/keys/other.json
  printf '{"issuer":"%s","jwks_uri":"%s/jwks.json"}\n' "$ISSUER" "$ISSUER" \
    >idp/.well-known/openid-configuration
  /usr/bin/python3 -m http.server "$IDP_PORT" --bind 127.0.0.1 --directory idp >idp.log 2>&1 &
  EXTRA_CLEANUP+=("kill $!")
  eventually 10 curl -fs -o /dev/null "$ISSUER/jwks.json" || fail "the provider did not start"
}

# mint ARGS...: a token of this provider (rsa1 unless --key/--alg/--kid say otherwise).
mint() {
  /usr/bin/python3 "$MINT" token --key rsa.pem --alg RS256 --kid rsa1 --iss "$ISSUER" --aud ferry "$@"
}
