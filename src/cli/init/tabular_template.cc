// The tabular template: breast-cancer diagnosis (569 rows, 30 numeric features, binary
// target) trained as an L2 logistic regression; validate -> train -> evaluate.

#include "cli/init/templates.h"

namespace ferry::cli::init {
namespace {

constexpr char kPipeline[] =
    R"(# The project's pipeline: `ferry pipeline run` (docs: ferry pipeline run --help).
name: @NAME@
parameters:
  l2: {default: "1", description: L2 penalty of the logistic regression}
  seed: {default: "42", description: seed of the held-out split}
steps:
  # Checks the data against the schema kept in the project; stops the pipeline on a
  # blocking anomaly (a missing column, a value out of range, too few rows).
  validate:
    kind: validate
    inputs: {data: data/train.csv, schema: schema.json}
  # Trains the model and builds its package (an OCI layout) as the step's output.
  train:
    kind: train
    depends_on: [validate]
    inputs: {data: data/train.csv}
    outputs: [package]
    params: {family: logistic, target: target, l2: "${params.l2}", seed: "${params.seed}"}
    retries: 1
    timeout: 10m
  # The metrics training measured on the held-out split, as JSON (for a gate).
  evaluate:
    kind: evaluate
    inputs: {package: steps.train.outputs.package}
    outputs: {metrics: metrics.json}
)";

constexpr char kReadme[] = R"(# @NAME@

A Ferry project made by `ferry init --template tabular`: a binary classifier (breast-cancer
diagnosis, 569 rows, 30 numeric features, label `target`) trained as an L2 logistic
regression by a pipeline that runs as created.

## Run it

```sh
ferry pipeline run            # validate, train, evaluate
ferry pipeline run            # again: every step is a cache hit
ferry pipeline run -p l2=3    # one parameter changed: train and evaluate run again
ferry pipeline status         # the latest run; `ferry pipeline list` for all of them
cat .ferry/pipelines/runs/*/steps/evaluate/metrics.json
```

To record the runs on a tracking server (an MLflow run per pipeline run, one child per
step), start `ferry server` and add `--tracking-uri http://127.0.0.1:5000`.

## The files

| file | what it is |
|---|---|
| `pipeline.yaml` | the pipeline: its parameters and steps |
| `data/train.csv` | the training data (scikit-learn's copy of the UCI Wisconsin Diagnostic Breast Cancer data, BSD-3-Clause) |
| `schema.json` | the data's schema, inferred by `ferry monitor schema data/train.csv -o schema.json`; edit it to tighten expectations |
| `.github/workflows/ferry.yml`, `.gitlab-ci.yml` | CI running the pipeline |

## The steps

| step | kind | what it does |
|---|---|---|
| `validate` | validate | `ferry monitor validate --schema schema.json data/train.csv`: fails the run on a blocking anomaly, so nothing trains on broken data |
| `train` | train | `ferry train logistic`: trains on a split (seed `${params.seed}`), evaluates on the held-out rows, builds the package; retried once, 10 minute timeout |
| `evaluate` | evaluate | `ferry evaluate`: the held-out metrics (accuracy, log loss, ...) as `metrics.json` |

Replace `data/train.csv` with new data (same columns) and run again: only the steps whose
inputs changed run.
)";

}  // namespace

ProjectTemplate TabularTemplate(const std::string& pipeline) {
  ProjectTemplate t;
  t.name = "tabular";
  t.files.push_back({"pipeline.yaml", FillName(kPipeline, pipeline)});
  t.files.push_back({"data/train.csv", std::string(TabularCsv())});
  t.files.push_back({"README.md", FillName(kReadme, pipeline) + ReadmeCommonSections()});
  for (auto& f : CiFiles()) t.files.push_back(std::move(f));
  t.schema_from = "data/train.csv";
  t.schema_to = "schema.json";
  return t;
}

}  // namespace ferry::cli::init
