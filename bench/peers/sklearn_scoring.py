"""A Python scoring server standing in for MLflow's (`mlflow models serve` before 2025:
Flask under gunicorn), MLflow's /invocations protocol (dataframe_split / dataframe_records /
instances / inputs), /ping and /health. Written for Ferry's serving benchmarks; run it with
Debian's packages. Two models:

- FERRY_BENCH_DATA=CSV: scikit-learn LogisticRegression trained at start on the CSV Ferry
  trains on (bench/run_serving_bench.sh):
    FERRY_BENCH_DATA=tests/data/breast_cancer.csv \
      gunicorn -w 2 -b 127.0.0.1:PORT --chdir bench/peers sklearn_scoring:app
- FERRY_BENCH_MODEL=DIR: an MLflow model directory saved by the MLflow client (sklearn
  flavor): its model.pkl unpickled (cloudpickle, else pickle) and its signature enforced the
  way MLflow 2.12's scoring server does (columns cast to the signature's types when the frame
  is parsed, then each column cast again into a new frame in signature order before predict;
  bench/run_python_serving_bench.sh):
    FERRY_BENCH_MODEL=tests/data/mlflow-models/sklearn-logreg \
      gunicorn -w 2 -b 127.0.0.1:PORT --chdir bench/peers sklearn_scoring:app
"""
import json
import os

import numpy as np
import pandas as pd
from flask import Flask, Response, request

# MLflow signature type -> numpy dtype (mlflow.types.DataType.to_pandas for the scalar types).
_SIGNATURE_DTYPES = {"double": np.float64, "float": np.float32, "long": np.int64,
                     "integer": np.int32, "boolean": np.bool_, "string": object}
_schema = None  # [(column, dtype)] from the MLmodel signature, or None


def _load_mlflow_model(model_dir):
    import yaml
    with open(os.path.join(model_dir, "MLmodel")) as f:
        mlmodel = yaml.safe_load(f)
    flavor = mlmodel["flavors"]["sklearn"]
    with open(os.path.join(model_dir, flavor["pickled_model"]), "rb") as f:
        if flavor.get("serialization_format") == "cloudpickle":
            import cloudpickle
            model = cloudpickle.load(f)
        else:
            import pickle
            model = pickle.load(f)
    inputs = json.loads(mlmodel["signature"]["inputs"])
    schema = [(c["name"], _SIGNATURE_DTYPES[c["type"]]) for c in inputs]
    return model, schema


if os.environ.get("FERRY_BENCH_MODEL"):
    _model, _schema = _load_mlflow_model(os.environ["FERRY_BENCH_MODEL"])
    _features = [name for name, _ in _schema]
else:
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    _frame = pd.read_csv(os.environ.get("FERRY_BENCH_DATA", "breast_cancer.csv"))
    _features = [c for c in _frame.columns if c != "target"]
    _model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    _model.fit(_frame[_features], _frame["target"])

app = Flask(__name__)


def _error(status, code, message):
    return Response(json.dumps({"error_code": code, "message": message}), status=status,
                    mimetype="application/json")


def _to_frame(doc):
    keys = [k for k in ("dataframe_split", "dataframe_records", "instances", "inputs") if k in doc]
    if len(keys) != 1:
        raise ValueError("expected exactly one of dataframe_split, dataframe_records, "
                         "instances, inputs")
    body = doc[keys[0]]
    if keys[0] == "dataframe_split":
        frame = pd.DataFrame(index=body.get("index"), columns=body.get("columns"),
                             data=body["data"])
    elif keys[0] == "dataframe_records":
        frame = pd.DataFrame(body)
    else:
        frame = pd.DataFrame(body, columns=_features)
    if _schema is not None:  # MLflow's cast_df_types_according_to_schema
        for name, dtype in _schema:
            if name in frame.columns:
                frame[name] = frame[name].astype(dtype, copy=False)
    return frame


def _enforce_schema(frame):
    """MLflow's _enforce_named_col_schema: each signature column checked and cast (an upcast
    to the same type is still an astype), then a new frame in signature order."""
    if _schema is None:
        return frame[_features]
    enforced = {}
    for name, dtype in _schema:
        if name not in frame:
            raise ValueError(f"The input column '{name}' is required by the model signature "
                             "but missing from the input data.")
        enforced[name] = frame[name].astype(dtype, errors="raise")
    return pd.DataFrame(enforced)


@app.route("/ping", methods=["GET"])
@app.route("/health", methods=["GET"])
def ping():
    return Response("\n", status=200, mimetype="application/json")


@app.route("/invocations", methods=["POST"])
def invocations():
    if request.mimetype != "application/json":
        return _error(415, "BAD_REQUEST", "unsupported content type")
    try:
        frame = _to_frame(json.loads(request.get_data()))
        predictions = _model.predict(_enforce_schema(frame)).tolist()
    except Exception as e:  # as MLflow: any failure of the input is the client's
        return _error(400, "BAD_REQUEST", str(e))
    return Response(json.dumps({"predictions": predictions}), mimetype="application/json")
