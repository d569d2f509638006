# The real MLflow 2.12.2 Python client for tests: source this file, then
#   mlflow_python_env    # exports PYTHONPATH so that /usr/bin/python3 imports mlflow
# Its Debian dependencies come from scripts/install-deps.sh; the pure-Python package is
# extracted once from tests/clients/mlflow-python/ into /tmp (a fresh machine extracts it).

MLFLOW_PY_TARBALL="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/tests/clients/mlflow-python/mlflow-2.12.2-client.tar.gz"

mlflow_python_env() {
  local dest=${FERRY_MLFLOW_PYTHON_DIR:-/tmp/ferry-mlflow-client-2.12.2}
  if [[ ! -f $dest/mlflow/version.py ]]; then
    mkdir -p "$dest.partial"
    tar -xzf "$MLFLOW_PY_TARBALL" -C "$dest.partial"
    rm -rf "$dest" && mv "$dest.partial" "$dest"
  fi
  export PYTHONPATH="$dest${PYTHONPATH:+:$PYTHONPATH}"
  /usr/bin/python3 -c 'import mlflow, sys; sys.exit(mlflow.__version__ != "2.12.2")' || {
    echo "mlflow_python_env: mlflow 2.12.2 does not import from $dest (run scripts/install-deps.sh)" >&2
    return 1
  }
}
