"""Ground truth for Ferry's /invocations decoder, from the real MLflow 2.12.2 scoring server.

Run from this folder, with the client installed:
    source scripts/lib/mlflow_python.sh && mlflow_python_env   # from the repository root
    /usr/bin/python3 make_errors.py

Every request below goes through `mlflow.pyfunc.scoring_server.init(model)` in-process (Flask's
test client), exactly as `mlflow models serve` would answer it. Writes
- errors.json: schema cases (errors and the accepted conversions) against small probe models
  whose signatures are written beside the cases; each case has the request, the HTTP status,
  the error_code and message (errors) or the predictions (successes). A probe model's
  predictions describe what it was handed after MLflow's schema enforcement ("col:dtype" per
  column, or "ndarray:dtype:shape"), so a decoder can be checked against the types as well.
- formats.json: the five fixture models answering their cases.json rows in every input format
  (dataframe_split, dataframe_records, instances, inputs, CSV), with each answer's raw body and
  the model's input and output schemas.
"""
import json
import logging
import os
import sys
import tempfile
import warnings

# MLflow's messages print Python sets; a fixed hash seed keeps the files byte-stable.
if os.environ.get("PYTHONHASHSEED") != "0":
    os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, PYTHONHASHSEED="0"))

warnings.filterwarnings("ignore")
logging.disable(logging.WARNING)

import numpy as np
import pandas as pd
import mlflow.pyfunc
from mlflow.models import ModelSignature
from mlflow.pyfunc import scoring_server
from mlflow.types import ColSpec, Schema, TensorSpec

HERE = os.path.dirname(os.path.abspath(__file__))


class Probe(mlflow.pyfunc.PythonModel):
    """Answers, per row, what MLflow handed the model after schema enforcement."""

    def predict(self, context, model_input, params=None):
        if isinstance(model_input, pd.DataFrame):
            desc = ",".join(f"{c}:{model_input[c].dtype}" for c in model_input.columns)
            return [desc] * len(model_input)
        if isinstance(model_input, dict):
            desc = ",".join(f"{k}:{v.dtype}:{list(v.shape)}" for k, v in model_input.items())
            return [desc]
        return [f"ndarray:{model_input.dtype}:{list(model_input.shape)}"]


def col(t, name, required=True):
    return ColSpec(t, name, required=required)


PROBES = {
    "typed": Schema([col("long", "l"), col("integer", "i"), col("float", "f"),
                     col("double", "d"), col("boolean", "b"), col("string", "s"),
                     col("double", "opt", required=False)]),
    "tensor": Schema([TensorSpec(np.dtype("float64"), (-1, 3))]),
    "named_tensor": Schema([TensorSpec(np.dtype("float32"), (-1, 2), "x"),
                            TensorSpec(np.dtype("int64"), (-1,), "k")]),
    "nosig": None,
}


def schema_json(schema):
    return None if schema is None else json.loads(schema.to_json())


def save_probes(root):
    models = {}
    for name, schema in PROBES.items():
        path = os.path.join(root, name)
        sig = None if schema is None else ModelSignature(inputs=schema)
        mlflow.pyfunc.save_model(path, python_model=Probe(), signature=sig)
        models[name] = mlflow.pyfunc.load_model(path)
    return models


def ask(app, body, content_type="application/json", raw=False):
    data = body if isinstance(body, str) else json.dumps(body)
    r = app.post("/invocations", data=data, headers={"Content-Type": content_type})
    text = r.get_data(as_text=True)
    out = {"status": r.status_code}
    try:
        parsed = json.loads(text)
    except ValueError:
        out["text"] = text
        return out
    if r.status_code == 200:
        out["predictions"] = parsed.get("predictions", parsed)
        if raw:
            out["raw"] = text
    else:
        out["error_code"] = parsed.get("error_code")
        out["message"] = parsed.get("message")
        out["key"] = key_fact(out["message"])
    return out


KEY_PATTERNS = [
    r"Model is missing inputs \[[^\]]*\]",
    r"could not convert string to float: '[^']*'",
    r"invalid literal for int\(\) with base 10: '[^']*'",
    r"Shape of input \([^)]*\) does not match expected shape \([^)]*\)",
    r"Cannot convert non-finite values \(NA or inf\) to integer",
    r"cannot safely convert passed user dtype of \w+ for \w+ dtyped data in column \d+",
    r"Bool column has NA values in column \d+",
    r"The length of values for each input/column name are not the same",
    r"Dataframe split format must [^.]*",
    r"Dataframe records format must be a list of records",
    r"The input must be a JSON dictionary with exactly one of the input fields",
    r"Ensure that input is a valid JSON formatted string",
    r"the input shape must be of the structure \(-1, number_of_dataframe_columns\)",
    r"int\(\) argument must be a string, a bytes-like object or a real number, not 'NoneType'",
    r"not a valid dataframe representation in 'split' format",
    r"All arrays must be of the same length",
]


def key_fact(message):
    """The fragment of an MLflow error message a Ferry message must contain too."""
    import re
    for pattern in KEY_PATTERNS:
        m = re.search(pattern, message or "")
        if m:
            return m.group(0)
    return None


def csv_of(records):
    return pd.DataFrame(records).to_csv(index=False)


def formats(records, columns=None):
    """One table in every request form. `records` is a list of {column: value}."""
    columns = columns or list(dict.fromkeys(k for r in records for k in r))
    rows = [[r.get(c) for c in columns] for r in records]
    return {
        "dataframe_split": ({"dataframe_split": {"columns": columns, "data": rows}}, None),
        "dataframe_records": ({"dataframe_records": records}, None),
        "instances": ({"instances": records}, None),
        "inputs": ({"inputs": {c: [r.get(c) for r in records] for c in columns}}, None),
        "csv": (csv_of(records), "text/csv"),
    }


TYPED_ROW = {"l": 1, "i": 2, "f": 0.5, "d": 1.5, "b": True, "s": "a"}


def typed_variants():
    """(case name, records) for the typed probe: one cell changed per case."""
    def with_(**kw):
        row = dict(TYPED_ROW)
        for k, v in kw.items():
            if v is KeyError:
                row.pop(k)
            else:
                row[k] = v
        return [row, dict(TYPED_ROW)]

    def without(name):
        return [{k: v for k, v in TYPED_ROW.items() if k != name} for _ in range(2)]
    return [
        ("ok", [dict(TYPED_ROW), dict(TYPED_ROW)]),
        ("missing_required", without("l")),
        ("missing_two", [{k: v for k, v in TYPED_ROW.items() if k not in ("l", "s")}] * 2),
        ("missing_cell", with_(l=KeyError)),
        ("missing_optional_ok", with_()),
        ("extra_column_ignored", [dict(TYPED_ROW, zzz=7), dict(TYPED_ROW, zzz=8)]),
        ("optional_given", with_(opt=2.5)),
        ("double_to_long", with_(l=1.5)),
        ("integral_double_to_long", with_(l=2.0)),
        ("string_to_long", with_(l="x")),
        ("bool_to_long", with_(l=True)),
        ("null_to_long", with_(l=None)),
        ("big_to_integer", with_(i=2 ** 40)),
        ("double_to_integer", with_(i=0.5)),
        ("double_to_float", with_(f=1.25)),
        ("int_to_float", with_(f=3)),
        ("int_to_double", with_(d=3)),
        ("string_to_double", with_(d="abc")),
        ("numeric_string_to_double", with_(d="2.5")),
        ("bool_to_double", with_(d=True)),
        ("null_to_double", with_(d=None)),
        ("int_to_bool", with_(b=1)),
        ("string_to_bool", with_(b="true")),
        ("null_to_bool", with_(b=None)),
        ("number_to_string", with_(s=5)),
        ("null_to_string", with_(s=None)),
    ]


def typed_cases(app):
    cases = []
    for case, records in typed_variants():
        for fmt, (body, ctype) in formats(records).items():
            cases.append(dict(model="typed", name=f"{case}/{fmt}", format=fmt,
                              content_type=ctype or "application/json",
                              body=body, **ask(app, body, ctype or "application/json")))
    return cases


def tensor_cases(models):
    t, nt = models["tensor"], models["named_tensor"]
    bodies = [
        ("tensor", "ok/inputs", {"inputs": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]}),
        ("tensor", "ok_ints/inputs", {"inputs": [[1, 2, 3]]}),
        ("tensor", "ok/instances", {"instances": [[1.0, 2.0, 3.0]]}),
        ("tensor", "ok/dataframe_split",
         {"dataframe_split": {"columns": ["a", "b", "c"], "data": [[1.0, 2.0, 3.0]]}}),
        ("tensor", "bad_shape/inputs", {"inputs": [[1.0, 2.0]]}),
        ("tensor", "bad_rank/inputs", {"inputs": [1.0, 2.0, 3.0]}),
        ("tensor", "bad_shape/instances", {"instances": [[1.0, 2.0, 3.0, 4.0]]}),
        ("tensor", "bad_dtype/inputs", {"inputs": [["a", "b", "c"]]}),
        ("tensor", "bad_columns/dataframe_split",
         {"dataframe_split": {"columns": ["a", "b"], "data": [[1.0, 2.0]]}}),
        ("named_tensor", "ok/inputs", {"inputs": {"x": [[1.0, 2.0]], "k": [3]}}),
        ("named_tensor", "ok/instances", {"instances": [{"x": [1.0, 2.0], "k": 3}]}),
        ("named_tensor", "bad_shape/inputs", {"inputs": {"x": [[1.0, 2.0, 3.0]], "k": [3]}}),
        ("named_tensor", "missing/inputs", {"inputs": {"x": [[1.0, 2.0]]}}),
        ("named_tensor", "double_to_int64/inputs", {"inputs": {"x": [[1.0, 2.0]], "k": [3.5]}}),
        ("named_tensor", "string_to_float32/inputs", {"inputs": {"x": [["a", "b"]], "k": [3]}}),
    ]
    apps = {"tensor": t, "named_tensor": nt}
    return [dict(model=m, name=n, format=n.split("/")[1], content_type="application/json",
                 body=b, **ask(apps[m], b)) for m, n, b in bodies]


def nosig_cases(app):
    recs = [{"a": 1, "b": 1.5, "c": "x", "d": True, "e": 1, "g": None},
            {"a": 2, "b": 2, "c": "y", "d": False, "e": 2.5, "g": 3}]
    return [dict(model="nosig", name=f"types/{fmt}", format=fmt,
                 content_type=ctype or "application/json", body=body,
                 **ask(app, body, ctype or "application/json"))
            for fmt, (body, ctype) in formats(recs).items()]


def protocol_cases(app):
    """Envelope errors, independent of the schema (asked of the typed probe)."""
    row = dict(TYPED_ROW)
    split = {"columns": list(row), "data": [list(row.values())]}
    bodies = [
        ("not_json", "{not json", "application/json"),
        ("a_list", [1, 2], "application/json"),
        ("no_format_key", {"data": [1]}, "application/json"),
        ("two_format_keys", {"inputs": [1], "instances": [1]}, "application/json"),
        ("split_not_object", {"dataframe_split": [1]}, "application/json"),
        ("split_no_data", {"dataframe_split": {"columns": ["l"]}}, "application/json"),
        ("split_extra_key", {"dataframe_split": dict(split, extra=1)}, "application/json"),
        ("inputs_lengths_differ", {"inputs": {"l": [1, 2], "i": [2], "f": [0.5], "d": [1.5],
                                              "b": [True], "s": ["a"]}}, "application/json"),
        ("split_row_too_short", {"dataframe_split": {"columns": list(row), "data": [[1, 2]]}},
         "application/json"),
        ("records_not_list", {"dataframe_records": {"l": 1}}, "application/json"),
        ("params_no_schema_ignored", {"dataframe_split": split, "params": {"x": 1}},
         "application/json"),
        ("params_not_object_ignored", {"dataframe_split": split, "params": 5},
         "application/json"),
        ("unsupported_content_type", "l\n1\n", "text/plain"),
        ("charset_latin1", {"dataframe_split": split}, "application/json; charset=latin-1"),
        ("content_type_param", {"dataframe_split": split}, "application/json; format=pandas"),
    ]
    return [dict(model="typed", name=f"protocol/{n}", format="protocol", content_type=ct,
                 body=b, **ask(app, b, ct)) for n, b, ct in bodies]


def fixture_formats():
    with open(os.path.join(HERE, "cases.json")) as f:
        fixtures = json.load(f)
    out = {}
    for name, case in fixtures.items():
        model = mlflow.pyfunc.load_model(os.path.join(HERE, case["model_dir"]))
        app = scoring_server.init(model).test_client()
        split = case["request_invocations"]["dataframe_split"]
        records = [dict(zip(split["columns"], row)) for row in split["data"]]
        answers = {fmt: dict(content_type=ctype or "application/json", body=body,
                             **ask(app, body, ctype or "application/json", raw=True))
                   for fmt, (body, ctype) in formats(records, split["columns"]).items()}
        out[name] = {"schema": schema_json(model.metadata.get_input_schema()),
                     "outputs": schema_json(model.metadata.get_output_schema()),
                     "formats": answers}
    return out


def main():
    with tempfile.TemporaryDirectory() as root:
        models = save_probes(root)
        apps = {k: scoring_server.init(m).test_client() for k, m in models.items()}
        cases = typed_cases(apps["typed"]) + tensor_cases(apps) + nosig_cases(apps["nosig"])
        cases += protocol_cases(apps["typed"])
    doc = {"mlflow_version": mlflow.__version__,
           "schemas": {k: schema_json(v) for k, v in PROBES.items()},
           "cases": cases}
    with open(os.path.join(HERE, "errors.json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=False)
        f.write("\n")
    with open(os.path.join(HERE, "formats.json"), "w") as f:
        json.dump(fixture_formats(), f, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases")


if __name__ == "__main__":
    main()
