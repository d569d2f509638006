"""Ferry's xgboost models (model.ubj + ferry-xgboost.json) as an MLflow python_function
model, with xgboost and numpy: mlflow.pyfunc.load_model(DIR) imports this module from the
model's code/ directory and calls _load_pyfunc with the path of model.ubj.

predict() computes what Ferry's server computes, through the same inplace prediction on
float64 rows: regression objectives return the value, multi:softmax the class label of the
index xgboost returns, binary:logistic and multi:softprob the label of the largest
probability (the first on a tie), or with params={"predict_method": "predict_proba"} the
probabilities (for binary:logistic [1 - p, p]).
"""
import json
import os

import numpy as np

from ferry_inputs import feature_matrix


class FerryXgboostModel:
    def __init__(self, path):
        import xgboost

        self.booster = xgboost.Booster(model_file=path)
        with open(os.path.join(os.path.dirname(path), "ferry-xgboost.json"), encoding="utf-8") as f:
            info = json.load(f)
        self.features = list(info["features"])
        self.classes = np.asarray(info.get("classes", []), dtype=np.int64)
        objective = info.get("objective", "")
        if objective in ("binary:logistic", "multi:softprob"):
            self.kind = "probabilities"
        elif objective == "multi:softmax":
            self.kind = "class_index"
        else:
            self.kind = "value"

    def predict(self, data, params=None):
        raw = np.asarray(self.booster.inplace_predict(feature_matrix(data, self.features)))
        if self.kind == "value":
            return raw.astype(np.float64)
        if self.kind == "class_index":
            return self.classes[raw.astype(np.int64)]
        p = raw.astype(np.float64)
        if p.ndim == 1:  # binary:logistic gives P(class 1)
            p = np.stack([1.0 - p, p], axis=1)
        if (params or {}).get("predict_method") == "predict_proba":
            return p
        return self.classes[np.argmax(p, axis=1)]


def _load_pyfunc(path):
    return FerryXgboostModel(path)
