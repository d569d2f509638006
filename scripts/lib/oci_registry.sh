# Start and stop Debian's docker-registry (CNCF distribution 2.8) for tests: loopback only,
# a free port, filesystem storage under a scratch directory, deletes enabled; no auth and
# plain http unless asked for (TLS, htpasswd Basic auth, token auth).
# Source this file; it defines start_oci_registry DIR [options] and stop_oci_registry, sets
# REGISTRY_PID, REGISTRY_HOST (127.0.0.1:PORT) and REGISTRY_URL, and stops a registry still
# running when the sourcing shell calls stop_oci_registry (tests call it from their EXIT trap).
# Modelled on ../shared/reference/oci/config.yml and start.sh.

source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

REGISTRY_PID=""
REGISTRY_HOST=""
REGISTRY_URL=""

# start_oci_registry DIR [--tls CERT KEY] [--htpasswd FILE] [--token REALM SERVICE ISSUER CERT]:
# writes DIR/config.yml, stores blobs under DIR/data, logs to DIR/registry.log; returns once
# GET /v2/ answers (200, or 401 with auth). --tls serves https with the PEM CERT and KEY
# (REGISTRY_URL is then https://...; clients need CERT as their CA). --htpasswd asks for
# Basic credentials checked against FILE (bcrypt entries: htpasswd -B). --token asks for
# bearer tokens from REALM: RS256 JWTs whose iss is ISSUER and aud SERVICE, signed by a key
# whose certificate (in the token's x5c header) chains to CERT.
start_oci_registry() {
  local dir=$1 port tries scheme=http tls="" auth="" curl_ca=()
  shift
  while (($#)); do
    case $1 in
      --tls)
        scheme=https curl_ca=(--cacert "$2")
        tls=$(printf '  tls:\n    certificate: %s\n    key: %s\n' "$2" "$3")
        shift 3
        ;;
      --htpasswd)
        auth=$(printf 'auth:\n  htpasswd:\n    realm: ferry-test\n    path: %s\n' "$2")
        shift 2
        ;;
      --token)
        auth=$(printf 'auth:\n  token:\n    realm: %s\n    service: %s\n    issuer: %s\n    rootcertbundle: %s\n' \
          "$2" "$3" "$4" "$5")
        shift 5
        ;;
      *)
        echo "start_oci_registry: unknown option $1" >&2
        return 2
        ;;
    esac
  done
  command -v docker-registry >/dev/null || {
    echo "docker-registry is not installed (apt-get install docker-registry)" >&2
    return 1
  }
  mkdir -p "$dir/data"
  for tries in 1 2 3; do
    port=$(free_tcp_ports 1) || return 1
    cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: warn
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  headers:
    X-Content-Type-Options: [nosniff]
$tls
$auth
health:
  storagedriver:
    enabled: false
YAML
    docker-registry serve "$dir/config.yml" >>"$dir/registry.log" 2>&1 &
    REGISTRY_PID=$!
    for _ in $(seq 1 100); do
      local code
      code=$(curl -s "${curl_ca[@]}" -o /dev/null -w '%{http_code}' "$scheme://127.0.0.1:$port/v2/") || true
      if [[ $code == 200 || ($code == 401 && -n $auth) ]]; then
        REGISTRY_HOST="127.0.0.1:$port"
        REGISTRY_URL="$scheme://$REGISTRY_HOST"
        return 0
      fi
      kill -0 "$REGISTRY_PID" 2>/dev/null || break # lost the port race: try another
      sleep 0.1
    done
    stop_oci_registry
  done
  echo "docker-registry did not start; log:" >&2
  tail -20 "$dir/registry.log" >&2
  return 1
}

# Stops the registry started above, by PID, waiting up to 10 s.
stop_oci_registry() {
  [[ -n $REGISTRY_PID ]] || return 0
  kill "$REGISTRY_PID" 2>/dev/null || true
  for _ in $(seq 1 40); do
    kill -0 "$REGISTRY_PID" 2>/dev/null || break
    sleep 0.25
  done
  kill -9 "$REGISTRY_PID" 2>/dev/null || true
  wait "$REGISTRY_PID" 2>/dev/null || true
  REGISTRY_PID=""
}
