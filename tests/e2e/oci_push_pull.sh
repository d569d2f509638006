#!/usr/bin/env bash
# Cross-organisation handover through a real OCI registry (Debian's docker-registry):
# keys, sign (.sig) + provenance (.att), push, pull into a fresh layout, verify under a trust
# policy; then tampering on the receiving side and in the registry, each refused with its
# precise reason. Also checks with plain openssl that the .sig and .att are cosign-style
# (the recipe of ../shared/reference/oci/push-pull.sh).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/oci_registry.sh"
trap 'stop_oci_registry; _ferry_server_cleanup' EXIT
cd "$WORK"

sha() { sha256sum "$1" | cut -d' ' -f1; }
# jget FILE EXPR: a JavaScript expression over the JSON in FILE (bound to j).
jget() { json "$2" <"$1"; }
# expect_fail WANT CMD...: CMD must exit 1 and print WANT on stderr.
expect_fail() {
  local want=$1 rc=0
  shift
  "$@" >out.txt 2>err.txt || rc=$?
  [[ $rc == 1 ]] || fail "$* exited $rc, want 1: $(cat out.txt err.txt)"
  grep -qF -- "$want" err.txt || fail "$*: want '$want' in: $(cat err.txt)"
  echo "refused as expected: $(cat err.txt)"
}
# verify_ok ARGS...: `ferry package verify ARGS` must succeed; its report lands in verify.txt.
verify_ok() {
  "$FERRY" package verify "$@" >verify.out 2>verify.txt || fail "verify $*: $(cat verify.txt)"
  grep -q "^verified" verify.txt || fail "verify $*: no 'verified' line"
  cat verify.txt
}
# blob DIR FILE MEDIATYPE: stores FILE as a blob of layout DIR, prints its descriptor JSON.
blob() {
  local d
  d=$(sha "$2")
  cp "$2" "$1/blobs/sha256/$d"
  printf '{"mediaType":"%s","digest":"sha256:%s","size":%d}' "$3" "$d" "$(stat -c %s "$2")"
}
# make_package DIR NAME VERSION WEIGHTS: a ModelPack-style layout tagged VERSION.
make_package() {
  local dir=$1 name=$2 version=$3 weights=$4 wdesc cdesc m
  mkdir -p "$dir/blobs/sha256"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$dir/oci-layout"
  wdesc=$(blob "$dir" "$weights" application/vnd.cncf.model.weight.v1.raw)
  printf '{"descriptor":{"name":"%s","version":"%s","createdAt":"2025-01-01T00:00:00Z"},' \
    "$name" "$version" >config.json
  printf '"config":{"format":"raw"},"modelfs":{"type":"layers","diffIds":["sha256:%s"]},' \
    "$(sha "$weights")" >>config.json
  printf '"ferry":{"trainer":{"command":["train.sh"],"parameters":{"C":"1.0"},' >>config.json
  printf '"data":[{"name":"train","digest":"sha256:%s"}]},"sourceRunId":"run-17",' \
    "$(sha "$weights")" >>config.json
  printf '"codeCommit":"8c2f3d3c"}}' >>config.json
  cdesc=$(blob "$dir" config.json application/vnd.cncf.model.config.v1+json)
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",' >m.json
  printf '"artifactType":"application/vnd.cncf.model.manifest.v1+json","config":%s,' "$cdesc" >>m.json
  printf '"layers":[%s]}' "${wdesc%\}},\"annotations\":{\"org.cncf.model.filepath\":\"model.bin\",\"org.opencontainers.image.title\":\"model.bin\"}}" >>m.json
  m=$(blob "$dir" m.json application/vnd.oci.image.manifest.v1+json)
  printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[%s]}' \
    "${m%\}},\"annotations\":{\"org.opencontainers.image.ref.name\":\"$version\"}}" >"$dir/index.json"
}
# manifest_of DIR TAG: the digest index.json gives TAG.
manifest_of() { jget "$1/index.json" "j.manifests.find(m=>m.annotations['org.opencontainers.image.ref.name']==='$2').digest"; }
# cosign_tag DIGEST SUFFIX
cosign_tag() { echo "${1/:/-}$2"; }

echo "== build, keys, sign"
head -c 3000000 /dev/urandom >weights.bin
make_package pkg iris-logreg 1.0.0 weights.bin
verify_ok pkg
"$FERRY" keys generate -o lnu | has "key id: " || fail "keys generate"
"$FERRY" keys generate -o acme >/dev/null
"$FERRY" keys generate -o stranger >/dev/null
[[ $(stat -c %a lnu.key) == 600 ]] || fail "private key mode is not 0600"
grep -q "BEGIN PUBLIC KEY" lnu.pub || fail "public key is not SPKI PEM"
expect_fail "already exists" "$FERRY" keys generate -o lnu
"$FERRY" package sign pkg --key lnu.key --repo 127.0.0.1/models/iris
M=$(manifest_of pkg 1.0.0)
SIG=$(cosign_tag "$M" .sig)
ATT=$(cosign_tag "$M" .att)

echo "== the .sig and .att verify with plain openssl (cosign's formats)"
S=$(manifest_of pkg "$SIG")
jget "pkg/blobs/sha256/${S#sha256:}" "j.layers[0].annotations['dev.cosignproject.cosign/signature']" |
  base64 -d >sig.der
P=$(jget "pkg/blobs/sha256/${S#sha256:}" "j.layers[0].digest")
[[ $(jget "pkg/blobs/sha256/${S#sha256:}" "j.layers[0].mediaType") == application/vnd.dev.cosign.simplesigning.v1+json ]] ||
  fail ".sig layer media type"
openssl dgst -sha256 -verify lnu.pub -signature sig.der "pkg/blobs/sha256/${P#sha256:}" ||
  fail "openssl does not verify the .sig"
[[ $(jget "pkg/blobs/sha256/${P#sha256:}" "j.critical.image['docker-manifest-digest']") == "$M" ]] ||
  fail "signature payload does not name $M"
A=$(manifest_of pkg "$ATT")
E=$(jget "pkg/blobs/sha256/${A#sha256:}" "j.layers[0].digest")
jget "pkg/blobs/sha256/${E#sha256:}" "j.payload" | base64 -d >statement.json
jget "pkg/blobs/sha256/${E#sha256:}" "j.signatures[0].sig" | base64 -d >att.der
PT=application/vnd.in-toto+json
{ printf 'DSSEv1 %d %s %d ' "${#PT}" "$PT" "$(stat -c %s statement.json)"; cat statement.json; } >pae.bin
openssl dgst -sha256 -verify lnu.pub -signature att.der pae.bin || fail "openssl does not verify the .att"
[[ $(jget statement.json "j.subject[0].digest.sha256") == "${M#sha256:}" ]] || fail "statement subject"
[[ $(jget statement.json "j.predicate.runDetails.metadata.invocationId") == run-17 ]] || fail "invocationId"

echo "== push to a local docker-registry, pull into a fresh layout, verify"
start_oci_registry "$WORK/registry"
"$FERRY" package push pkg "$REGISTRY_HOST/models/iris:1.0.0" --chunk-mib 1 >push.txt
cat push.txt
grep -q "signature: yes, provenance: yes" push.txt || fail "push did not send .sig/.att"
tags=$(curl -fsS "$REGISTRY_URL/v2/models/iris/tags/list")
[[ $tags == *"$SIG"* && $tags == *"$ATT"* && $tags == *'"1.0.0"'* ]] || fail "registry tags: $tags"
"$FERRY" package push pkg "$REGISTRY_HOST/models/iris:1.0.0" --quiet | has "0 blob(s) pushed" ||
  fail "second push re-uploaded blobs"
"$FERRY" package pull "$REGISTRY_HOST/models/iris:1.0.0" -o pulled >pull.txt
grep -q "signature: yes, provenance: yes" pull.txt || fail "pull did not fetch .sig/.att: $(cat pull.txt)"
cmp pkg/blobs/sha256/"${M#sha256:}" pulled/blobs/sha256/"${M#sha256:}" || fail "manifest bytes differ"
cat >policy.json <<JSON
{"keys": {"lnu": {"path": "lnu.pub"}, "acme": {"path": "acme.pub"}},
 "rules": [{"models": "iris-*", "keys": ["lnu"], "require_provenance": true},
           {"models": "*", "keys": ["acme"]}]}
JSON
verify_ok pulled --policy policy.json
cp verify.txt pulled-verify.txt
[[ $("$FERRY" package verify pulled --policy policy.json 2>/dev/null) == "$M" ]] ||
  fail "verify does not print the manifest digest"
grep -q "ok  signature: by key 'lnu'" pulled-verify.txt || fail "no signature check line"
grep -q "ok  provenance: SLSA v1" pulled-verify.txt || fail "no provenance check line"
verify_ok pulled --key lnu.pub
tar -C pulled -cf pulled.tar oci-layout index.json blobs
verify_ok pulled.tar --policy policy.json
"$FERRY" package pull "$REGISTRY_HOST/models/iris@$M" -o by-digest >/dev/null
verify_ok by-digest --policy policy.json

echo "== a package made by ferry package build, signed, exported as a tar, pushed and pulled"
mkdir -p churn-src && printf 'coef: [1, 2]\n' >churn-src/model.yaml
"$FERRY" package build churn-src --name churn --version 2 -o churn.oci \
  --created 2025-01-01T00:00:00Z >/dev/null
"$FERRY" package sign churn.oci --key acme.key >/dev/null
"$FERRY" package export churn.oci -o churn.tar >/dev/null
verify_ok churn.tar --policy policy.json # "*" -> acme
expect_fail "give --policy or --key, not both" \
  "$FERRY" package verify churn.tar --key acme.pub --policy policy.json
"$FERRY" package push churn.oci "$REGISTRY_HOST/models/churn" --quiet >/dev/null
"$FERRY" package pull "$REGISTRY_HOST/models/churn:2" -o churn-pulled --quiet >/dev/null
verify_ok churn-pulled --policy policy.json

echo "== tampering on the receiving side"
fresh() { rm -rf "$1" && cp -r pulled "$1"; }
fresh t1
W=$(jget "t1/blobs/sha256/${M#sha256:}" "j.layers[0].digest")
flip_byte "t1/blobs/sha256/${W#sha256:}" 1000
expect_fail "blob $W: content does not match the digest" "$FERRY" package verify t1 --policy policy.json

fresh t2
"$FERRY" package sign t2 --key acme.key >/dev/null
expect_fail "signature is by key 'acme'" "$FERRY" package verify t2 --policy policy.json
grep -qF "does not allow for model 'iris-logreg' (allowed: lnu)" err.txt || fail "allowed list"

fresh t3
"$FERRY" package sign t3 --key stranger.key >/dev/null
expect_fail "(unknown key)" "$FERRY" package verify t3 --policy policy.json

fresh t4 # the .att of another package (signed by lnu) placed under this package's .att tag
printf 'other weights' >w2.bin
make_package other iris-logreg 2.0.0 w2.bin
"$FERRY" package sign other --key lnu.key >/dev/null
M2=$(manifest_of other 2.0.0)
A2=$(manifest_of other "$(cosign_tag "$M2" .att)")
cp -n other/blobs/sha256/* t4/blobs/sha256/
node -e "const fs=require('fs');const j=JSON.parse(fs.readFileSync('t4/index.json'));
  const e=j.manifests.find(m=>m.annotations['org.opencontainers.image.ref.name']==='$ATT');
  e.digest='$A2';e.size=fs.statSync('t4/blobs/sha256/${A2#sha256:}').size;
  fs.writeFileSync('t4/index.json',JSON.stringify(j))"
expect_fail "provenance subject sha256:${M2#sha256:} does not match the package manifest $M" \
  "$FERRY" package verify t4 --policy policy.json

fresh t5 # no signature at all
node -e "const fs=require('fs');const j=JSON.parse(fs.readFileSync('t5/index.json'));
  j.manifests=j.manifests.filter(m=>m.annotations['org.opencontainers.image.ref.name']!=='$SIG');
  fs.writeFileSync('t5/index.json',JSON.stringify(j))"
expect_fail "no signature" "$FERRY" package verify t5 --policy policy.json

fresh t6 # one flipped byte in the signature payload
flip_byte "t6/blobs/sha256/${P#sha256:}" 30
expect_fail "blob $P: content does not match the digest" "$FERRY" package verify t6 --policy policy.json

fresh t7 # one flipped byte in the DSSE envelope
flip_byte "t7/blobs/sha256/${E#sha256:}" 30
expect_fail "blob $E: content does not match the digest" "$FERRY" package verify t7 --policy policy.json

echo "== tampering in the registry: pull refuses it"
# The filesystem driver serves stored bytes without re-hashing them: flip one on disk.
data=$(find "$WORK/registry/data" -path "*/blobs/sha256/*/${W#sha256:}/data")
[[ -f $data ]] || fail "registry blob file not found"
flip_byte "$data" 2000
expect_fail "blob $W from $REGISTRY_HOST/models/iris is corrupt" \
  "$FERRY" package pull "$REGISTRY_HOST/models/iris:1.0.0" -o refused
[[ ! -e refused/blobs/sha256/${W#sha256:} ]] || fail "corrupt blob was kept"
ls refused/blobs/sha256 | has '^\.tmp' && fail "temp file left behind"
# One changed byte in the stored manifest (still valid JSON, so the registry serves it): the
# bytes no longer hash to the digest asked for.
mdata=$(find "$WORK/registry/data" -path "*/blobs/sha256/*/${M#sha256:}/data")
[[ -f $mdata ]] || fail "registry manifest file not found"
sed -i 's/model\.bin/model.bim/' "$mdata"
expect_fail "hashes to" "$FERRY" package pull "$REGISTRY_HOST/models/iris@$M" -o pinned
grep -qF "but the registry says $M" err.txt || has -F "not the digest in the reference" err.txt ||
  fail "manifest tamper message: $(cat err.txt)"
expect_fail "registry has no manifest" "$FERRY" package pull "$REGISTRY_HOST/models/none:1" -o none

echo "PASS oci_push_pull"
