#!/usr/bin/env bash
# Fails when a file under src/ includes a part it must not, following DESIGN.md's direction
# (app -> http, cli -> services -> store interfaces -> core -> common; net is low, on common
# only). Only quoted includes whose first component is a folder of src/ are checked, so
# third-party headers ("absl/...", "curl/...") never count. Tests beside the code count too.
#
# Usage: check_layering.sh [ROOT]   (ROOT holds src/; default: the repository)
set -euo pipefail
ROOT=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$ROOT/src"

# One rule a line: FOLDERS (|-separated, under src/)  KIND (not|only)  PARTS (space-separated).
# "not": none of PARTS may be included; "only": nothing but PARTS (and the folder itself).
RULES=(
  "common                                               only  common"
  "core                                                 only  common core"
  "net                                                  only  common net"
  "common|core|store|tracking|registry|package|runtime|serving  not  http cli app"
  "store                                                not   auth tracking registry package runtime serving net http cli app"
  # The SQL driver seam (store/sql) and the PostgreSQL driver sit on common and store only;
  # which store folder they may name is check_parts.sh's finer rule.
  "store/sql|store/postgres                             only  common store"
  # The S3 backend reaches its server through net's HTTP client (a low part, on common).
  "store/s3                                             only  common core store net"
  "tracking|registry|package|runtime|serving            not   cli app"
  # The package <-> schema bridge and LoadPackage live in loader/, above both.
  "runtime                                              not   package loader training"
  "package                                              not   runtime loader training"
  "loader                                               not   http cli app training"
  # Monitoring computes on data it is given: core and common only (the server and serving
  # reach it through interfaces wired in app).
  "monitoring                                           only  common core monitoring"
  # Pipelines are a service: they run steps as command lines and never reach up to the server.
  "pipeline                                             not   http cli app"
  # Lineage is derived from the tracking and registry stores, through their interfaces.
  "lineage                                              only  common core store lineage"
  # Authentication decides over the store interfaces; http asks it, app wires it. Nothing
  # below it (store, core, common) knows it exists.
  "auth                                                 only  common core store auth"
)

SUB_RULED=()
for rule in "${RULES[@]}"; do
  read -r folders _ <<<"$rule"
  [[ $folders == */* ]] && SUB_RULED+=("$folders")
done

parts=$(find . -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | paste -sd'|')
status=0
for rule in "${RULES[@]}"; do
  read -r folders kind wanted <<<"$rule"
  for folder in ${folders//|/ }; do
    [[ -d $folder ]] || continue
    while IFS= read -r hit; do
      file=${hit%%:*}
      part=$(sed -E 's/.*#include "([^/"]+)\/.*/\1/' <<<"$hit")
      bad=0
      # A sub-folder with a rule of its own answers to that rule, not its parent's.
      for sub in "${SUB_RULED[@]}"; do
        [[ $folder != "$sub" && $file == $sub/* ]] && continue 2
      done
      if [[ $kind == not ]]; then
        [[ " $wanted " == *" $part "* ]] && bad=1
      else
        [[ " $wanted $folder " == *" $part "* ]] || bad=1
      fi
      if ((bad)); then
        echo "layering: src/$file includes $part/ (rule: $folders $kind $wanted)" | tr -s ' '
        status=1
      fi
    done < <(grep -rHE "^\s*#\s*include \"($parts)/" "$folder" --include='*.h' --include='*.cc' || true)
  done
done
((status == 0)) && echo "layering: ${#RULES[@]} rules hold"
exit $status
