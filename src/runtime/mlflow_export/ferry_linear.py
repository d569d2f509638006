"""Ferry's linear and logistic models (model.json, format "ferry-linear") as an MLflow
python_function model, with numpy only: mlflow.pyfunc.load_model(DIR) imports this module
from the model's code/ directory and calls _load_pyfunc with the path of model.json.

predict() computes what Ferry's server computes: x_std = (x - mean) / scale, then
z = intercept + coef . x_std; linear models return z, logistic ones the class of the largest
probability (sigmoid for two classes, softmax otherwise; the first class on a tie), as
scikit-learn's predict does, or with params={"predict_method": "predict_proba"} the
probabilities, one row per input row.
"""
import json

import numpy as np

from ferry_inputs import feature_matrix


class FerryLinearModel:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            m = json.load(f)
        if m.get("format") != "ferry-linear":
            raise ValueError(f"{path}: not a ferry-linear model (format {m.get('format')!r})")
        self.logistic = m["family"] == "logistic"
        self.features = list(m["features"])
        self.mean = np.asarray(m["mean"], dtype=np.float64)
        self.scale = np.asarray(m["scale"], dtype=np.float64)
        self.coef = np.asarray(m["coef"], dtype=np.float64).reshape(-1, len(self.features))
        self.intercept = np.asarray(m["intercept"], dtype=np.float64)
        self.classes = np.asarray(m.get("classes", []))

    def _probabilities(self, z):
        if z.shape[1] == 1:  # binary: p1 = sigmoid(z), p0 = 1 - p1
            p1 = np.where(z[:, 0] >= 0, 1 / (1 + np.exp(-np.abs(z[:, 0]))),
                          np.exp(-np.abs(z[:, 0])) / (1 + np.exp(-np.abs(z[:, 0]))))
            return np.stack([1 - p1, p1], axis=1)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def predict(self, data, params=None):
        z = (feature_matrix(data, self.features) - self.mean) / self.scale @ self.coef.T + self.intercept
        if not self.logistic:
            return z[:, 0]
        p = self._probabilities(z)
        if (params or {}).get("predict_method") == "predict_proba":
            return p
        return self.classes[np.argmax(p, axis=1)]


def _load_pyfunc(path):
    return FerryLinearModel(path)
