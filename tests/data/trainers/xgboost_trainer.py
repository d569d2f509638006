#!/usr/bin/python3
"""An external trainer for Ferry's tests: trains an xgboost classifier with Debian's
python3-xgboost from the CSVs Ferry hands over and writes model.json + metrics.json.

Environment (set by Ferry's external trainer): FERRY_DATA, FERRY_TEST_DATA, FERRY_TARGET,
FERRY_OUTPUT_DIR, FERRY_PARAMS_JSON (params as strings: n_estimators, max_depth).
"""
import csv
import json
import math
import os
import sys

import numpy as np
import xgboost as xgb


def read(path, target):
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    features = [c for c in header if c != target]
    ti = header.index(target)
    fi = [header.index(c) for c in features]
    x = np.array([[float(r[i]) if r[i] else math.nan for i in fi] for r in body])
    y = np.array([float(r[ti]) for r in body])
    return features, x.reshape(len(body), len(features)), y


def main():
    target = os.environ["FERRY_TARGET"]
    params = json.loads(os.environ["FERRY_PARAMS_JSON"])
    features, x, y = read(os.environ["FERRY_DATA"], target)
    _, tx, ty = read(os.environ["FERRY_TEST_DATA"], target)
    print(f"training on {len(y)} rows, {len(features)} features", flush=True)
    booster = xgb.train(
        {"objective": "binary:logistic", "max_depth": int(params.get("max_depth", 3)),
         "eta": 0.3, "nthread": 1},
        xgb.DMatrix(x, label=y, feature_names=features),
        num_boost_round=int(params.get("n_estimators", 20)))
    out = os.environ["FERRY_OUTPUT_DIR"]
    booster.save_model(os.path.join(out, "model.json"))
    metrics = {}
    if len(ty):
        p = booster.predict(xgb.DMatrix(tx, feature_names=features))
        metrics["accuracy"] = float(np.mean((p > 0.5) == (ty == 1)))
    with open(os.path.join(out, "metrics.json"), "w") as f:
        json.dump(metrics, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
