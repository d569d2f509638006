// The recommender template: next-item recommendation on generated e-commerce sessions
// (`ferry data sessions`, deterministic by seed); sessions -> validate -> train -> evaluate.
// The sessions are made by the pipeline's first step, so changing `events` or `seed` makes
// new data and reruns what depends on it.

#include "cli/init/templates.h"

namespace ferry::cli::init {
namespace {

constexpr char kPipeline[] =
    R"(# The project's pipeline: `ferry pipeline run` (docs: ferry pipeline run --help).
name: @NAME@
parameters:
  events: {default: "20000", description: number of generated events}
  items: {default: "300", description: items on sale}
  seed: {default: "1", description: seed of the session generator}
steps:
  # Generated sessions (session,item,time), the same for the same parameters everywhere.
  sessions:
    kind: command
    argv: [ferry, data, sessions, -o, "${outputs.sessions}", --events, "${params.events}",
           --items, "${params.items}", --seed, "${params.seed}"]
    outputs: {sessions: sessions.csv}
  # Checks the sessions against the schema kept in the project.
  validate:
    kind: validate
    inputs: {data: steps.sessions.outputs.sessions, schema: schema.json}
  # Trains the session recommender and builds its package.
  train:
    kind: train
    depends_on: [validate]
    inputs: {data: steps.sessions.outputs.sessions}
    outputs: [package]
    params: {family: recommender}
    retries: 1
    timeout: 15m
  # The metrics training measured on the held-out sessions, as JSON (for a gate).
  evaluate:
    kind: evaluate
    inputs: {package: steps.train.outputs.package}
    outputs: {metrics: metrics.json}
)";

constexpr char kSchema[] = R"({
  "format": "ferry.monitoring.schema",
  "version": 1,
  "dataset": {"min_examples_count": 1000},
  "columns": [
    {"name": "session", "type": "INT", "presence": {"min_fraction": 1.0, "min_count": 1}},
    {"name": "item", "type": "STRING", "presence": {"min_fraction": 1.0, "min_count": 1}},
    {"name": "time", "type": "INT", "presence": {"min_fraction": 1.0, "min_count": 1}}
  ]
}
)";

constexpr char kReadme[] = R"(# @NAME@

A Ferry project made by `ferry init --template recommender`: a session-based next-item
recommender trained on generated e-commerce sessions by a pipeline that runs as created.

## Run it

```sh
ferry pipeline run                  # sessions, validate, train, evaluate
ferry pipeline run                  # again: every step is a cache hit
ferry pipeline run -p events=50000  # more data: every step runs again
ferry pipeline status               # the latest run; `ferry pipeline list` for all of them
cat .ferry/pipelines/runs/*/steps/evaluate/metrics.json
```

`ferry` must be on `PATH` (the `sessions` step runs it as a command). To record the runs on
a tracking server, start `ferry server` and add `--tracking-uri http://127.0.0.1:5000`.

## The files

| file | what it is |
|---|---|
| `pipeline.yaml` | the pipeline: its parameters and steps |
| `schema.json` | what every sessions file must hold (columns `session`, `item`, `time`, at least 1000 rows) |
| `.github/workflows/ferry.yml`, `.gitlab-ci.yml` | CI running the pipeline |

## The steps

| step | kind | what it does |
|---|---|---|
| `sessions` | command | `ferry data sessions`: `events` events over `items` items with planted transitions and popularity, deterministic by `seed`; replace it with your own export (a `command` step or an input file) |
| `validate` | validate | `ferry monitor validate --schema schema.json`: fails the run on a blocking anomaly |
| `train` | train | `ferry train recommender`: trains on the earlier sessions, evaluates next-item hit rate on the later ones, builds the package; retried once, 15 minute timeout |
| `evaluate` | evaluate | `ferry evaluate`: the held-out metrics as `metrics.json` |
)";

}  // namespace

const char* RecommenderSchema() { return kSchema; }

ProjectTemplate RecommenderTemplate(const std::string& pipeline) {
  ProjectTemplate t;
  t.name = "recommender";
  t.files.push_back({"pipeline.yaml", FillName(kPipeline, pipeline)});
  t.files.push_back({"schema.json", kSchema});
  t.files.push_back({"README.md", FillName(kReadme, pipeline) + ReadmeCommonSections()});
  for (auto& f : CiFiles()) t.files.push_back(std::move(f));
  return t;
}

}  // namespace ferry::cli::init
