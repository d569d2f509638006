"""Writes xgboost-clf-wide.json: 200 perturbed rows of cases.json's xgboost-clf request (values
rounded to 6 significant digits) and the class labels xgboost 1.7's own XGBClassifier.predict
gives for them (what MLflow's xgboost pyfunc returns), with Debian's python3-xgboost; and
xgboost-clf-named.ubj: the same booster saved as UBJSON with the columns as its feature names
(model.xgb, in xgboost's binary format, stores none).
Run: /usr/bin/python3 make_xgboost_wide.py (in this folder)."""
import json

import numpy as np
import pandas as pd
import xgboost as xgb

clf = xgb.XGBClassifier()
clf.load_model("xgboost-clf/model.xgb")
split = json.load(open("cases.json"))["xgboost-clf"]["request_invocations"]["dataframe_split"]
data = np.array(split["data"], dtype=float)
rng = np.random.default_rng(7)
rows = data[rng.integers(0, len(data), 200)] * rng.uniform(0.6, 1.4, (200, data.shape[1]))
rows = np.array([[float(f"{v:.6g}") for v in row] for row in rows])
pred = clf.predict(pd.DataFrame(rows, columns=split["columns"]))
proba = clf.predict_proba(pd.DataFrame(rows, columns=split["columns"]))[:, 1]
out = {"xgboost_version": xgb.__version__, "columns": split["columns"], "data": rows.tolist(),
       "expected_predictions": [int(p) for p in pred]}
with open("xgboost-clf-wide.json", "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(f"{int(pred.sum())} of {len(pred)} positive; "
      f"{int(((proba > 0.05) & (proba < 0.95)).sum())} with 0.05 < P < 0.95")
booster = clf.get_booster()
booster.feature_names = split["columns"]
booster.save_model("xgboost-clf-named.ubj")
