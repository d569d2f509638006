"""A Python scoring server standing in for MLflow's (`mlflow models serve` before 2025:
Flask under gunicorn): scikit-learn LogisticRegression on the same CSV Ferry trains on,
MLflow's /invocations protocol (dataframe_split / dataframe_records / instances / inputs),
/ping and /health. Written for Ferry's serving benchmark; run it with Debian's packages:

  FERRY_BENCH_DATA=tests/data/breast_cancer.csv \
    gunicorn -w 2 -b 127.0.0.1:PORT --chdir bench/peers sklearn_scoring:app
"""
import json
import os

import pandas as pd
from flask import Flask, Response, request
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
        return pd.DataFrame(body["data"], columns=body["columns"])
    if keys[0] == "dataframe_records":
        return pd.DataFrame(body)
    return pd.DataFrame(body, columns=_features)


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
        predictions = _model.predict(frame[_features]).tolist()
    except Exception as e:  # as MLflow: any failure of the input is the client's
        return _error(400, "BAD_REQUEST", str(e))
    return Response(json.dumps({"predictions": predictions}), mimetype="application/json")
