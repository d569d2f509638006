#!/usr/bin/env bash
# The handover between two organisations (seed 003), end to end with real parts: server A
# tracks a training run and its model files; A builds a package from runs:/, signs it
# (cosign .sig + SLSA .att) and pushes it to a Debian docker-registry. Server B's operator
# pulls it, verifies it under B's own trust policy, hands it to server B (which verifies it
# again and refuses unsigned sources) and moves an alias. Every tampering case is refused by
# server B with a precise error, and nothing is written to B's registry or artifact store.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/oci_registry.sh"
EXTRA_CLEANUP+=(stop_oci_registry)
cd "$WORK"

# expect_fail WANT CMD...: CMD must fail and print WANT on stderr.
expect_fail() {
  local want=$1
  shift
  if "$@" >out.txt 2>err.txt; then fail "$* succeeded: $(cat out.txt)"; fi
  grep -qF -- "$want" err.txt || fail "$*: want '$want' in: $(cat err.txt)"
  echo "refused as expected: $(tail -1 err.txt)"
}

echo "== organisation A: a tracked training run with its model files"
start_server_in "$WORK/a"
A_URL=$URL
exp=$(api POST experiments/create '{"name":"iris"}' | json j.experiment_id)
run=$(api POST runs/create "{\"experiment_id\":\"$exp\",\"start_time\":1}" | json j.run.info.run_id)
api POST runs/log-batch "{\"run_id\":\"$run\",\"params\":[{\"key\":\"C\",\"value\":\"0.5\"}],
  \"metrics\":[{\"key\":\"accuracy\",\"value\":0.97,\"timestamp\":1,\"step\":0}],
  \"tags\":[{\"key\":\"mlflow.source.git.commit\",\"value\":\"8c2f3d3c0ffee\"}]}" >/dev/null
head -c 2000000 /dev/urandom >weights.bin
printf '{"ferry":{"predictor":{"kind":"builtin","family":"logistic"}}}' >ferry-package.json
for f in weights.bin ferry-package.json; do
  curl -fsS -X PUT --data-binary "@$f" \
    "$A_URL/api/2.0/mlflow-artifacts/artifacts/$exp/$run/artifacts/model/$f" >/dev/null ||
    fail "upload $f"
done
api POST runs/update "{\"run_id\":\"$run\",\"status\":\"FINISHED\",\"end_time\":2}" >/dev/null

echo "== A builds, signs and pushes the package"
"$FERRY" package build "runs:/$run/model" --name iris --version 1 --tracking-uri "$A_URL" \
  -o a-pkg >digest.txt 2>build.err || fail "build: $(cat build.err)"
DIGEST=$(cat digest.txt)
"$FERRY" keys generate -o lnu >/dev/null
"$FERRY" keys generate -o rogue >/dev/null
"$FERRY" package sign a-pkg --key lnu.key >/dev/null || fail "sign"
"$FERRY" package verify a-pkg >/dev/null 2>verify.txt || fail "verify a-pkg: $(cat verify.txt)"
grep -q "signer NOT checked" verify.txt || fail "verify without a policy: $(cat verify.txt)"

echo "== a corrupt empty config {} of the .sig/.att manifests fails verify and export"
cp -r a-pkg corrupt-pkg
empty="sha256:$(printf '{}' | sha256sum | cut -d' ' -f1)"
chmod u+w "corrupt-pkg/blobs/sha256/${empty#sha256:}"
printf '[]' >"corrupt-pkg/blobs/sha256/${empty#sha256:}"
expect_fail "$empty" "$FERRY" package verify corrupt-pkg
expect_fail "$empty" "$FERRY" package export corrupt-pkg -o corrupt.tar
[[ ! -e corrupt.tar ]] || fail "export left corrupt.tar"

start_oci_registry "$WORK/registry"
"$FERRY" package push a-pkg "$REGISTRY_HOST/lnu/iris:1" >/dev/null || fail "push"

echo "== organisation B: pull, verify under B's policy, register, alias"
mkdir -p b/keys
cp lnu.pub b/keys/lnu.pub
cat >b/policy.json <<'JSON'
{"keys": {"lnu": {"path": "keys/lnu.pub"}},
 "rules": [{"models": "iris*", "keys": ["lnu"], "require_provenance": true}]}
JSON
"$FERRY" package pull "$REGISTRY_HOST/lnu/iris:1" -o b-pkg >/dev/null || fail "pull"
[[ $("$FERRY" package verify b-pkg --policy b/policy.json 2>verify.txt) == "$DIGEST" ]] ||
  fail "verify on B: $(cat verify.txt)"
"$FERRY" package inspect b-pkg --json >inspect.json
[[ $(json 'j.config.ferry.source_run_id || j.config.ferry.sourceRunId' <inspect.json) == "$run" ]] ||
  fail "source run not recorded: $(cat inspect.json)"

start_server_in "$WORK/b" --trust-policy "$WORK/b/policy.json" --require-signed-packages
B_URL=$URL
"$FERRY" models register iris --package b-pkg --tracking-uri "$B_URL" >reg.out 2>reg.err ||
  fail "register on B: $(cat reg.err)"
grep -q "READY" reg.out || fail "register output: $(cat reg.out)"
"$FERRY" models alias iris champion 1 --tracking-uri "$B_URL" >/dev/null 2>alias.err ||
  fail "alias: $(cat alias.err)"
v=$(curl -fsS "$B_URL/api/2.0/mlflow/registered-models/alias?name=iris&alias=champion")
[[ $(printf '%s' "$v" | json j.model_version.status) == READY ]] || fail "alias target: $v"
src=$(printf '%s' "$v" | json j.model_version.source)
[[ $src == "mlflow-artifacts:/packages/${DIGEST/:/-}" ]] || fail "source: $src"
# The package's files download through the artifact proxy, as MLflow clients fetch models.
uri=$(curl -fsS "$B_URL/api/2.0/mlflow/model-versions/get-download-uri?name=iris&version=1" |
  json j.artifact_uri)
[[ $uri == "$src" ]] || fail "download uri: $uri"
curl -fsS "$B_URL/api/2.0/mlflow-artifacts/artifacts/packages/${DIGEST/:/-}/blobs/sha256/${DIGEST#sha256:}" \
  | cmp - "a-pkg/blobs/sha256/${DIGEST#sha256:}" || fail "manifest bytes through the proxy"

echo "== tampering, each refused by server B with nothing written"
stored_before=$(curl -fsS "$B_URL/api/2.0/mlflow-artifacts/artifacts?path=packages" | json 'j.files.length')
versions_before=$(curl -fsS "$B_URL/api/2.0/mlflow/model-versions/search?filter=name%3D%27iris%27" |
  json 'j.model_versions.length')
fresh() { rm -rf "$1" && cp -r b-pkg "$1"; }

fresh t-flip # one flipped byte in the weights
W=$(json 'j.manifest.layers.find(l=>l.annotations["org.cncf.model.filepath"]==="weights.bin").digest' <inspect.json)
chmod -R u+w t-flip
flip_byte "t-flip/blobs/sha256/${W#sha256:}" 77
# The client's export refuses to ship it; a tar made without ferry reaches server B, which
# refuses it too.
expect_fail "does not match its digest" "$FERRY" models register iris --package t-flip --tracking-uri "$B_URL"
(cd t-flip && tar --format=ustar -cf ../t-flip.tar oci-layout index.json blobs)
expect_fail "not to its name" "$FERRY" models register iris --package t-flip.tar --tracking-uri "$B_URL"

fresh t-rogue # re-signed by a key B does not know
chmod -R u+w t-rogue
"$FERRY" package sign t-rogue --key rogue.key >/dev/null
expect_fail "unknown key" "$FERRY" models register iris --package t-rogue --tracking-uri "$B_URL"

fresh t-missing # a manifest naming a blob that is not there
chmod -R u+w t-missing
rm "t-missing/blobs/sha256/${W#sha256:}"
expect_fail "missing" "$FERRY" models register iris --package t-missing --tracking-uri "$B_URL"

"$FERRY" package export b-pkg -o good.tar >/dev/null
python3 - <<'PY' # the good archive plus an entry escaping the root
import tarfile, io
with tarfile.open("good.tar") as src, tarfile.open("escape.tar", "w", format=tarfile.USTAR_FORMAT) as dst:
    for m in src.getmembers():
        dst.addfile(m, src.extractfile(m) if m.isfile() else None)
    ti = tarfile.TarInfo("../../etc/cron.d/x"); ti.size = 1
    dst.addfile(ti, io.BytesIO(b"x"))
PY
expect_fail "escapes" "$FERRY" models register iris --package escape.tar --tracking-uri "$B_URL"

# A version whose source is not a package fails registration and cannot be promoted.
expect_fail "only registers signed packages" \
  "$FERRY" models register iris --source "runs:/$run/model" --tracking-uri "$B_URL"
code=$(curl -s -o alias.json -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  --data '{"name":"iris","alias":"champion","version":"2"}' "$B_URL/api/2.0/mlflow/registered-models/alias")
[[ $code == 400 ]] || fail "alias to a failed version answered $code: $(cat alias.json)"
grep -q "FAILED_REGISTRATION" alias.json || fail "alias refusal: $(cat alias.json)"

stored_after=$(curl -fsS "$B_URL/api/2.0/mlflow-artifacts/artifacts?path=packages" | json 'j.files.length')
[[ $stored_after == "$stored_before" ]] || fail "a refused package was stored ($stored_before -> $stored_after)"
versions_after=$(curl -fsS "$B_URL/api/2.0/mlflow/model-versions/search?filter=name%3D%27iris%27" |
  json 'j.model_versions.length')
# Only the unsigned --source version was created (and failed); no tampered package got one.
[[ $versions_after == $((versions_before + 1)) ]] || fail "versions: $versions_before -> $versions_after"
v=$(curl -fsS "$B_URL/api/2.0/mlflow/registered-models/alias?name=iris&alias=champion" | json j.model_version.version)
[[ $v == 1 ]] || fail "the alias moved to $v"
echo "PASS"
