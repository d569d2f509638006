#!/usr/bin/env bash
# Package build and verification throughput against OpenSSL's SHA-256 on the same file:
#   bench/run_package_bench.sh build/ferry
# Creates one random file (SIZE_MB, default 1024) in a model directory, then ROUNDS times
# (default 3): `openssl dgst -sha256` on it, `ferry package build` of the directory (copy +
# hash into a fresh layout), `ferry package verify` of the layout (re-hash every blob), and
# `export` (tar, no hashing) and `import` (untar + hash every blob) of it.
# Nothing is dropped from the page cache: every step reads warm data, so the comparison is
# hashing plus copying, not the disk. Each step starts after a `sync` (untimed), so that
# write-back of the previous step's output (up to 3 GiB per round) does not land in it. Reports each median and throughput, and the ratios to
# OpenSSL (the target is >= 0.8 for build and verify), by wall time and by CPU time.
set -euo pipefail

FERRY=$(readlink -f "${1:?usage: $0 path/to/ferry}")
SIZE_MB=${SIZE_MB:-1024}
ROUNDS=${ROUNDS:-3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/ferry-package-bench-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/model"
head -c "${SIZE_MB}M" /dev/urandom >"$WORK/model/weights.bin"
echo '{"ferry":{"predictor":{"kind":"builtin","family":"linear"}}}' \
  >"$WORK/model/ferry-package.json"
cat "$WORK/model/weights.bin" >/dev/null  # warm the page cache once

# timed NAME CMD...: appends CMD's wall time to $WORK/NAME and its CPU time (user + sys)
# to $WORK/NAME.cpu. CPU time is the steadier figure on a shared machine.
timed() {
  local name=$1
  shift
  sync  # start each step without the previous steps' dirty pages being written back
  /usr/bin/time -f '%e %U %S' -o "$WORK/last.time" "$@" >/dev/null 2>"$WORK/last.err" ||
    { cat "$WORK/last.err" >&2; exit 1; }
  awk '{print $1}' "$WORK/last.time" >>"$WORK/$name"
  awk '{print $2 + $3}' "$WORK/last.time" >>"$WORK/$name.cpu"
}
median() { sort -g "$WORK/$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

for i in $(seq 1 "$ROUNDS"); do
  timed openssl openssl dgst -sha256 "$WORK/model/weights.bin"
  rm -rf "$WORK/out"
  timed build "$FERRY" package build "$WORK/model" --name bench --version 1 -o "$WORK/out"
  timed verify "$FERRY" package verify "$WORK/out"
  rm -f "$WORK/pkg.tar"
  rm -rf "$WORK/imported"
  timed export "$FERRY" package export "$WORK/out" -o "$WORK/pkg.tar"
  timed import "$FERRY" package import "$WORK/pkg.tar" -o "$WORK/imported"
  echo "round $i: openssl $(tail -1 "$WORK/openssl") s, build $(tail -1 "$WORK/build") s," \
    "verify $(tail -1 "$WORK/verify") s (wall)"
done

mbps() { printf '%.0f' "$(echo "$SIZE_MB / $1" | bc -l)"; }
o=$(median openssl)
oc=$(median openssl.cpu)
echo
echo "| step (${SIZE_MB} MiB, median of $ROUNDS) | wall s | MiB/s | vs openssl | CPU s | vs openssl (CPU) |"
echo "|---|---|---|---|---|---|"
printf '| openssl dgst -sha256 | %.3f | %s | 1.00 | %.2f | 1.00 |\n' "$o" "$(mbps "$o")" "$oc"
for step in build verify export import; do
  w=$(median $step)
  c=$(median $step.cpu)
  printf '| ferry package %s | %.3f | %s | %.2f | %.2f | %.2f |\n' "$step" "$w" "$(mbps "$w")" \
    "$(echo "$o / $w" | bc -l)" "$c" "$(echo "$oc / $c" | bc -l)"
done
