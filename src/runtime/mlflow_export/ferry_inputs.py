"""The rows a Ferry model's MLflow loader predicts on, shared by ferry_linear and
ferry_xgboost (both ship in the model's code/): a pandas DataFrame's feature columns by name,
in the model's order, or an array-like of rows, as float64 [n, F]."""
import numpy as np


def feature_matrix(data, features):
    if hasattr(data, "columns"):
        missing = [c for c in features if c not in data.columns]
        if missing:
            raise ValueError(f"missing input columns: {missing}")
        data = data[features].to_numpy(dtype=np.float64)
    x = np.asarray(data, dtype=np.float64)
    if x.ndim == 1:
        x = x.reshape(1, -1)
    if x.shape[1] != len(features):
        raise ValueError(f"expected {len(features)} features, got {x.shape[1]}")
    return x
