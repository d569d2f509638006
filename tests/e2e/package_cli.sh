#!/usr/bin/env bash
# `ferry package`: build from a directory and from runs:/ against a running server,
# export -> import -> inspect round trip with the same digest, unpack, and refusals of
# tampered packages and hostile archives.
source "$(dirname "$0")/lib.sh"
start_server
cd "$WORK"

# ---- from a directory ----
mkdir -p model/sub
head -c 3000000 /dev/urandom >model/model.onnx
echo '# demo' >model/README.md
echo 'print("train")' >model/sub/train.py
echo 'numpy==1.26.4' >model/requirements.txt
cat >model/ferry-package.json <<'JSON'
{"ferry":{"predictor":{"kind":"builtin","family":"linear"},
 "schema":{"inputs":[{"name":"x","type":"float32","shape":[-1,3]}],
           "outputs":[{"name":"y","type":"float32","shape":[-1]}]}}}
JSON
created=2025-01-01T00:00:00Z
d1=$("$FERRY" package build model --name demo --version 1.0 --created $created -o a.oci 2>build.err) ||
  fail "build: $(cat build.err)"
d2=$("$FERRY" package build model --name demo --version 1.0 --created $created -o b.oci 2>/dev/null)
[[ $d1 == sha256:* && $d1 == "$d2" ]] || fail "builds are not reproducible: $d1 vs $d2"
[[ $("$FERRY" package verify a.oci 2>/dev/null) == "$d1" ]] || fail "verify a.oci"

info=$("$FERRY" package inspect a.oci --json)
[[ $(printf '%s' "$info" | json 'j.manifest.artifactType') == application/vnd.cncf.model.manifest.v1+json ]] ||
  fail "artifactType: $info"
[[ $(printf '%s' "$info" | json 'j.config.descriptor.name') == demo ]] || fail "name: $info"
[[ $(printf '%s' "$info" | json 'j.config.config.format') == onnx ]] || fail "format: $info"
[[ $(printf '%s' "$info" | json 'j.config.ferry.predictor.family') == linear ]] || fail "predictor: $info"
[[ $(printf '%s' "$info" | json 'j.config.ferry.dependencies.map(d=>d.name).join(",")') == ferry,numpy ]] ||
  fail "dependencies: $info"
[[ $(printf '%s' "$info" | json 'j.manifest.layers.map(l=>l.annotations["org.cncf.model.filepath"]).join(",")') == \
  README.md,ferry-package.json,model.onnx,requirements.txt,sub/train.py ]] || fail "layers: $info"

# ---- export -> import -> inspect ----
"$FERRY" package export a.oci -o pkg.tar || fail "export"
"$FERRY" package export b.oci -o pkg2.tar || fail "export b"
cmp -s pkg.tar pkg2.tar || fail "export is not reproducible"
"$FERRY" package import pkg.tar -o imported >import.out || fail "import"
grep -q "^$d1 1.0$" import.out || fail "import output: $(cat import.out)"
[[ $("$FERRY" package inspect imported --json | json 'j.digest') == "$d1" ]] || fail "digest after import"
[[ $("$FERRY" package verify pkg.tar 2>/dev/null) == "$d1" ]] || fail "verify of the tar"
"$FERRY" package unpack pkg.tar -o unpacked >/dev/null || fail "unpack"
diff -r model unpacked || fail "unpacked files differ"

# ---- tampering ----
cp -r a.oci t.oci
layer=$(printf '%s' "$info" | json 'j.manifest.layers[2].digest')
blob=t.oci/blobs/sha256/${layer#sha256:}
chmod u+w "$blob"
flip_byte "$blob" 100
if "$FERRY" package verify t.oci >/dev/null 2>verify.err; then fail "verify accepted a flipped byte"; fi
grep -q "layers\[2\] (model.onnx): blob $layer: content does not match" verify.err ||
  fail "verify error: $(cat verify.err)"

python3 - <<'PY'
import io, tarfile
def mk(path, name, kind=tarfile.REGTYPE, data=b"x", link=""):
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as t:
        ti = tarfile.TarInfo(name); ti.type = kind; ti.linkname = link
        if kind == tarfile.REGTYPE: ti.size = len(data)
        t.addfile(ti, io.BytesIO(data) if kind == tarfile.REGTYPE else None)
mk("dotdot.tar", "../x")
mk("abs.tar", "/abs")
mk("symlink.tar", "index.json", tarfile.SYMTYPE, link="/etc/passwd")
PY
expect_refused() {
  if "$FERRY" package import "$1" -o hostile 2>import.err; then fail "import accepted $1"; fi
  grep -q "$2" import.err || fail "$1: $(cat import.err)"
  [[ ! -e hostile ]] || fail "$1 left hostile/ behind"
  ls | has '\.import-' && fail "$1 left a staging directory"
  true
}
expect_refused dotdot.tar 'path escapes the archive root'
expect_refused abs.tar 'absolute paths are not allowed'
expect_refused symlink.tar 'symbolic links are not allowed'
head -c 4000 pkg.tar >truncated.tar
expect_refused truncated.tar 'archive is truncated'

# ---- from a run ----
run=$(api POST runs/create '{"experiment_id":"0","start_time":1}')
run_id=$(printf '%s' "$run" | json 'j.run.info.run_id')
artifact_uri=$(printf '%s' "$run" | json 'j.run.info.artifact_uri')
[[ $artifact_uri == mlflow-artifacts:/* ]] || fail "artifact_uri: $artifact_uri"
api POST runs/log-batch "{\"run_id\":\"$run_id\",\"params\":[{\"key\":\"alpha\",\"value\":\"0.5\"}],
  \"metrics\":[{\"key\":\"rmse\",\"value\":0.25,\"timestamp\":1,\"step\":0}],
  \"tags\":[{\"key\":\"mlflow.source.git.commit\",\"value\":\"abc123\"}]}" >/dev/null
root=${artifact_uri#mlflow-artifacts:/}
for f in model.onnx README.md sub/train.py; do
  curl -fsS -X PUT --data-binary "@model/$f" \
    "$URL/api/2.0/mlflow-artifacts/artifacts/$root/model/$f" >/dev/null || fail "upload $f"
done
d3=$("$FERRY" package build "runs:/$run_id/model" --name fromrun --version 2 \
  --tracking-uri "$URL" -o run.oci 2>run.err) || fail "build from run: $(cat run.err)"
[[ $("$FERRY" package verify run.oci 2>/dev/null) == "$d3" ]] || fail "verify run.oci"
cfg=$("$FERRY" package inspect run.oci --json)
[[ $(printf '%s' "$cfg" | json 'j.config.ferry.sourceRunId') == "$run_id" ]] || fail "run id: $cfg"
[[ $(printf '%s' "$cfg" | json 'j.config.ferry.params.alpha') == 0.5 ]] || fail "params: $cfg"
[[ $(printf '%s' "$cfg" | json 'j.config.ferry.metrics.rmse') == 0.25 ]] || fail "metrics: $cfg"
[[ $(printf '%s' "$cfg" | json 'j.config.ferry.codeCommit') == abc123 ]] || fail "commit: $cfg"
[[ $(printf '%s' "$cfg" | json 'j.manifest.layers.length') == 3 ]] || fail "run layers: $cfg"
"$FERRY" package unpack run.oci -o run_unpacked >/dev/null || fail "unpack run.oci"
cmp -s run_unpacked/model.onnx model/model.onnx || fail "model.onnx from the run differs"

# A package whose file is missing: the error names that file (the layer and the blob), in a
# directory and in a tar, never a temporary path.
cp -r run.oci broken.oci
layer=$(printf '%s' "$cfg" | json 'j.manifest.layers.find(l=>l.annotations["org.cncf.model.filepath"]==="model.onnx").digest')
rm "broken.oci/blobs/sha256/${layer#sha256:}"
! "$FERRY" package unpack broken.oci -o broken_out 2>broken.err || fail "unpack of a broken package"
grep -q "model.onnx" broken.err || fail "missing file not named: $(cat broken.err)"
! grep -q "/tmp/" broken.err || fail "temporary path in the error: $(cat broken.err)"
tar -cf broken.tar -C broken.oci .
! "$FERRY" package unpack broken.tar -o broken_tar_out 2>broken_tar.err || fail "unpack of a broken tar"
grep -q "${layer#sha256:}" broken_tar.err || fail "missing blob not named: $(cat broken_tar.err)"
! grep -q "/tmp/" broken_tar.err || fail "temporary path in the error: $(cat broken_tar.err)"

stop_server
echo "PASS: ferry package"
