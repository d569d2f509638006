#!/usr/bin/env bash
# Runs python_backend_test's fixture cases in the worker's other mode: through the real
# mlflow.pyfunc.load_model (MLflow 2.12.2 client, scripts/lib/mlflow_python.sh). Workers get a
# scrubbed environment (no PYTHONPATH), so the client is reached through a throw-away
# --system-site-packages virtualenv whose .pth line names it.
# Usage: with_mlflow_python.sh PATH/TO/python_backend_test
set -euo pipefail
root=$(cd "$(dirname "$0")/../../../.." && pwd)
# shellcheck source=/dev/null
source "$root/scripts/lib/mlflow_python.sh"
mlflow_python_env
client=${PYTHONPATH%%:*}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
/usr/bin/python3 -m venv --without-pip --system-site-packages "$scratch/venv"
site=$("$scratch/venv/bin/python3" -c 'import site; print(site.getsitepackages()[0])')
echo "$client" >"$site/ferry-mlflow-client.pth"
env -i "$scratch/venv/bin/python3" -c 'import mlflow' || {
  echo "with_mlflow_python: the virtualenv does not import mlflow" >&2
  exit 1
}
FERRY_TEST_MLFLOW_PYTHON=$scratch/venv/bin/python3 "$1" --gtest_filter='*_mlflow'
