#!/usr/bin/env bash
# Ferry's models in the real MLflow 2.12.2 Python client (tests/clients/mlflow-python): a
# logistic, a linear and an xgboost model trained and registered by `ferry train --register` load with
# mlflow.pyfunc.load_model from models:/NAME/V, models:/NAME@ALIAS and runs:/RUN/model, and
# predict what `ferry predict` answers for the same rows (labels exactly, probabilities and
# regression values to 1e-9); get-download-uri names the package's MLflow model directory,
# which clients may read but not change; a package without an MLmodel keeps its source. The
# other direction: a scikit-learn model logged and registered by the MLflow client into
# Ferry's server is served by `ferry predict models:/...` (its Python workers), answering
# what the client's own mlflow.pyfunc.load_model predicts.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/../../scripts/lib/mlflow_python.sh"
DATA=$(cd "$(dirname "$0")/../data" && pwd)
cd "$WORK"
mlflow_python_env || fail "the MLflow Python client does not import"
start_server

echo "--- train and register"
"$FERRY" train logistic --data "$DATA/breast_cancer.csv" --target target --register bc \
  --tracking-uri "$URL" -o bc.oci >bc.log 2>&1 || { cat bc.log; fail "train logistic"; }
"$FERRY" train linear --data "$DATA/diabetes.csv" --target target --register diab \
  --tracking-uri "$URL" -o diab.oci >diab.log 2>&1 || { cat diab.log; fail "train linear"; }
"$FERRY" train xgboost --data "$DATA/wine.csv" --target target --register wine \
  --param n_estimators=30 --tracking-uri "$URL" -o wine.oci >wine.log 2>&1 || { cat wine.log; fail "train xgboost"; }
"$FERRY" models alias bc champion 1 --tracking-uri "$URL" >/dev/null || fail "alias"
uri=$(api GET "model-versions/get-download-uri?name=bc&version=1")
[[ $(json 'j.artifact_uri' <<<"$uri") == mlflow-artifacts:/packages/sha256-*/mlflow-model ]] ||
  fail "download uri: $uri"
rel=$(json 'j.artifact_uri.slice("mlflow-artifacts:/".length)' <<<"$uri")
code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT --data-binary x \
  "$URL/api/2.0/mlflow-artifacts/artifacts/$rel/MLmodel")
[[ $code == 403 ]] || fail "a client changed the stored MLmodel: HTTP $code"

echo "--- the rows through ferry predict (OIP: predictions and probabilities)"
rows() {  # rows FILE N: the first N rows without the target, as an OIP request
  node -e '
    const [file, n] = process.argv.slice(1);
    const lines = require("fs").readFileSync(file, "utf8").trim().split("\n");
    const names = lines[0].split(","), t = names.indexOf("target");
    const data = lines.slice(1, 1 + Number(n)).map(l => l.split(",").map(Number).filter((_, i) => i !== t));
    console.log(JSON.stringify({inputs: [{name: "input", datatype: "FP64", shape: [data.length, names.length - 1], data: data.flat()}]}));' "$1" "$2"
}
rows "$DATA/breast_cancer.csv" 40 | "$FERRY" predict bc.oci >bc.ferry.json || fail "ferry predict bc"
rows "$DATA/diabetes.csv" 40 | "$FERRY" predict diab.oci >diab.ferry.json || fail "ferry predict diab"
rows "$DATA/wine.csv" 178 | "$FERRY" predict wine.oci >wine.ferry.json || fail "ferry predict wine"

echo "--- the same rows through mlflow.pyfunc.load_model"
MLFLOW_TRACKING_URI=$URL /usr/bin/python3 - "$DATA" >mlflow.json 2>mlflow.err <<'PY' ||
import json, sys
import mlflow
import pandas as pd
data = sys.argv[1]
bc = pd.read_csv(f"{data}/breast_cancer.csv").drop(columns=["target"]).head(40).astype("float64")
# MLflow refuses int64 columns for double inputs ("Can not safely convert"): age is integral.
diab = pd.read_csv(f"{data}/diabetes.csv").drop(columns=["target"]).head(40).astype("float64")
run_id = mlflow.MlflowClient().get_model_version("bc", "1").run_id
out = {}
for uri in ["models:/bc/1", "models:/bc@champion", f"runs:/{run_id}/model"]:
    m = mlflow.pyfunc.load_model(uri)
    out[uri] = {"labels": m.predict(bc).tolist(),
                "proba": m.predict(bc, params={"predict_method": "predict_proba"}).tolist()}
out["diab"] = mlflow.pyfunc.load_model("models:/diab/1").predict(diab).tolist()
wine = pd.read_csv(f"{data}/wine.csv").drop(columns=["target"]).astype("float64")
m = mlflow.pyfunc.load_model("models:/wine/1")
out["wine"] = {"labels": m.predict(wine).tolist(),
               "proba": m.predict(wine, params={"predict_method": "predict_proba"}).tolist()}
print(json.dumps(out))
PY
  { cat mlflow.err; fail "mlflow.pyfunc.load_model"; }
node - bc.ferry.json diab.ferry.json wine.ferry.json mlflow.json <<'JS' || fail "MLflow and Ferry disagree"
const fs = require("fs");
const [bc, diab, wine, ml] = process.argv.slice(2).map(f => JSON.parse(fs.readFileSync(f, "utf8")));
const out = (r, name) => r.outputs.find(o => o.name === name).data;
const close = (a, b) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
let bad = 0;
const classifier = (what, ferry, r) => {  // labels exactly, probabilities to 1e-9
  const labels = out(ferry, "predictions"), proba = out(ferry, "probabilities");
  if (r.labels.length !== labels.length) { console.error(what, "rows", r.labels.length); bad++; }
  r.labels.forEach((l, i) => { if (l !== labels[i]) { console.error(what, "row", i, l, labels[i]); bad++; } });
  r.proba.flat().forEach((p, i) => { if (!close(p, proba[i])) { console.error(what, "p", i, p, proba[i]); bad++; } });
  if (new Set(labels).size < 2) { console.error(what, "one class only: the comparison proves little"); bad++; }
};
for (const [uri, r] of Object.entries(ml)) {
  if (uri.startsWith("models:/bc") || uri.startsWith("runs:/")) classifier(uri, bc, r);
}
classifier("wine (xgboost)", wine, ml.wine);
const values = out(diab, "predictions");
ml.diab.forEach((v, i) => { if (!close(v, values[i])) { console.error("diab", i, v, values[i]); bad++; } });
process.exit(bad ? 1 : 0);
JS

echo "--- a model the MLflow client logged into Ferry, served by Ferry"
MLFLOW_TRACKING_URI=$URL /usr/bin/python3 - "$DATA" >logged.out 2>logged.err <<'PY' ||
import json, sys
import mlflow
import pandas as pd
from mlflow.models import infer_signature
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
df = pd.read_csv(f"{sys.argv[1]}/breast_cancer.csv")
x, y = df.drop(columns=["target"]), df["target"]
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=500)).fit(x, y)
with mlflow.start_run():
    mlflow.sklearn.log_model(model, "model", registered_model_name="skl",
                             signature=infer_signature(x, model.predict(x)), input_example=x.head(3))
rows = x.sample(25, random_state=3)
want = mlflow.pyfunc.load_model("models:/skl/1").predict(rows).tolist()
json.dump({"dataframe_split": {"columns": list(rows.columns), "data": rows.values.tolist()}},
          open("skl.req.json", "w"))
json.dump({"predictions": want}, open("skl.want.json", "w"))
PY
  { tail -20 logged.err; fail "the MLflow client could not log and register the model"; }
"$FERRY" predict models:/skl/1 --tracking-uri "$URL" --cache-dir cache --allow-unsigned-pickle \
  <skl.req.json >skl.got.json 2>skl.err || fail "ferry predict models:/skl/1: $(cat skl.err)"
node -e '
  const fs = require("fs"), [a, b] = process.argv.slice(1).map(f => JSON.parse(fs.readFileSync(f)));
  process.exit(JSON.stringify(a) === JSON.stringify(b) && a.predictions.length === 25 ? 0 : 1);' \
  skl.got.json skl.want.json || fail "Ferry $(cat skl.got.json) vs MLflow $(cat skl.want.json)"
"$FERRY" predict models:/skl/1 --tracking-uri "$URL" --cache-dir cache <skl.req.json \
  >/dev/null 2>unsigned.err && fail "an unsigned pickle loaded without --allow-unsigned-pickle"
grep -q "allow-unsigned-pickle" unsigned.err || fail "unsigned: $(cat unsigned.err)"

echo "--- a package without an MLmodel keeps its source as download uri"
"$FERRY" data sessions -o sessions.csv --events 3000 --items 50 --seed 1 >/dev/null 2>&1 ||
  fail "ferry data sessions"
"$FERRY" train recommender --data sessions.csv --register recs --tracking-uri "$URL" \
  -o recs.oci >recs.log 2>&1 || { cat recs.log; fail "train recommender"; }
src=$(json 'j.model_version.source' <<<"$(api GET "model-versions/get?name=recs&version=1")")
[[ $src == mlflow-artifacts:/packages/sha256-* ]] || fail "recommender source: $src"
[[ $(json 'j.artifact_uri' <<<"$(api GET "model-versions/get-download-uri?name=recs&version=1")") == "$src" ]] ||
  fail "the recommender's download uri is not its source"
echo "PASS"
