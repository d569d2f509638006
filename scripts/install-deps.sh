#!/usr/bin/env bash
# Installs what Ferry needs to build and test on Debian 12, from Debian's apt and npm only.
# Idempotent and quick when everything is already there.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache clang clang-format libclang-rt-14-dev
  libabsl-dev libsimdjson-dev libsqlite3-dev libssl-dev libxgboost-dev python3-xgboost
  libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev
  curl libcurl4-openssl-dev git wrk nodejs npm sqlite3 procps
  # The web UI: bundled by Debian's esbuild, type-checked by its TypeScript (ui/).
  esbuild node-typescript
  docker-registry apache2-utils  # apache2-utils: htpasswd, for the registry auth tests
  chromium
  slurm-wlm munge
  # The PostgreSQL metadata store: libpq to build, the server for the tests' throwaway clusters
  # (scripts/lib/postgres.sh; Debian's default `main` cluster is not created, see below).
  postgresql libpq-dev
  # The Python side: what models saved by MLflow need (sklearn, pickles) and the real MLflow
  # Python client's dependencies (tests/clients/mlflow-python, scripts/lib/mlflow_python.sh).
  python3 python3-numpy python3-pandas python3-sklearn python3-cloudpickle
  python3-flask python3-sqlalchemy python3-alembic python3-requests python3-yaml
  python3-protobuf python3-click python3-git python3-sqlparse python3-gunicorn
  python3-packaging python3-entrypoints python3-importlib-metadata python3-markdown
  python3-jinja2 python3-tz python3-cachetools
)
# `--bench` adds what bench/run_serving_bench.sh, bench/run_python_serving_bench.sh and
# bench/run_monitoring_stats_bench.sh compare against.
if [[ ${1:-} == --bench ]]; then
  PACKAGES+=(nginx-light gunicorn python3-flask python3-pandas python3-sklearn python3-scipy
    python3-numpy)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  # nodejs from another apt source still satisfies "nodejs"; npm may come bundled with it.
  if [[ $p == npm ]] && command -v npm >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "==> installing: ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  # The postgresql package would create and start a `main` cluster on port 5432: the tests
  # start their own clusters instead (scripts/lib/postgres.sh).
  $SUDO mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" |
    $SUDO tee /etc/postgresql-common/createcluster.d/50-ferry-no-main.conf >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# uPlot for the UI's charts, from npm (versions pinned in ui/package.json).
"$(dirname "$0")/../ui/install.sh"
echo "==> dependencies present"
