// The demo template (`ferry demo`): the recommender project grown into the whole loop. The
// pipeline validates the sessions in data/, trains the session recommender, evaluates it,
// gates it against thresholds and the serving champion, registers it and promotes it through
// a canary on the tracking server; a monitoring alert about drift runs it again.

#include "cli/init/templates.h"

namespace ferry::cli::init {
namespace {

constexpr char kPipeline[] =
    R"(# The demo's pipeline: retrains the recommender on data/sessions.csv and, when it passes
# the gate, promotes it through a canary (docs: ferry pipeline run --help, docs/DEMO.md).
name: @NAME@
tracking_uri: @TRACKING_URI@
triggers:
  # Runs the pipeline when live monitoring fires a drift alert on the deployment.
  - alert: {deployment: @MODEL@, type: data_drift}
parameters:
  method: {default: sr, description: "recommender method: sr, vsknn, iknn or pop"}
  percent: {default: "20", description: share of requests the canary takes}
  window: {default: "6", description: seconds the canary is watched before promotion}
steps:
  # The sessions against the schema kept in the project: a blocking anomaly stops the run.
  validate:
    kind: validate
    inputs: {data: data/sessions.csv, schema: schema.json}
  # Trains on the earlier sessions, measures next-item hit rates on the latest ones.
  train:
    kind: train
    depends_on: [validate]
    inputs: {data: data/sessions.csv}
    outputs: [package]
    params: {family: recommender, method: "${params.method}", seed: "1",
             experiment: @MODEL@-training}
    retries: 1
    timeout: 10m
  # The held-out metrics as JSON, for the gate.
  evaluate:
    kind: evaluate
    inputs: {package: steps.train.outputs.package}
    outputs: {metrics: metrics.json}
  # Signs the package with the project's key (keys/demo.key, made by `ferry keys generate`).
  sign:
    kind: sign
    inputs: {package: steps.train.outputs.package, key: keys/demo.key}
  # Absolute thresholds and the change allowed against @champion (thresholds.json).
  gate:
    kind: gate
    inputs: {metrics: steps.evaluate.outputs.metrics, thresholds: thresholds.json}
    outputs: [blessing]
    params: {model: @MODEL@}
  # A new version of the registered model, only once gated and signed.
  register:
    kind: register
    depends_on: [gate, sign]
    inputs: {package: steps.train.outputs.package}
    outputs: [version]
    params: {model: @MODEL@}
  # Canary at `percent` for `window` seconds, then @champion moves (or the canary rolls back).
  promote:
    kind: promote
    inputs: {version: steps.register.outputs.version}
    outputs: [result]
    params: {percent: "${params.percent}", window: "${params.window}", min-requests: "20",
             max-latency-ratio: "5", latency-slack-ms: "50"}
)";

constexpr char kThresholds[] = R"({"thresholds": [
  {"metric": "hit_rate_at_20", "lower_bound": 0.3, "absolute_change": -0.1},
  {"metric": "mrr_at_20", "lower_bound": 0.05}
]}
)";

constexpr char kReadme[] = R"(# @NAME@

The project `ferry demo` made and ran: a session recommender (model `@MODEL@`) that keeps
itself healthy. The server serves `models:/@MODEL@@champion` with live monitoring; when the
catalogue changes, monitoring reports drift and the pipeline retrains, gates, registers and
promotes a new version through a canary.

## Run it again

```sh
ferry pipeline run -f pipeline.yaml        # needs the demo's server at tracking_uri
ferry pipeline status -f pipeline.yaml
ferry maturity --server @TRACKING_URI@ .
```

## The files

| file | what it is |
|---|---|
| `pipeline.yaml` | validate -> train -> evaluate -> sign -> gate -> register -> promote |
| `data/sessions.csv` | the sessions the next run trains on (session, item, time) |
| `schema.json` | what the sessions must hold |
| `thresholds.json` | the gate: hit rate and MRR floors, the drop allowed against @champion |
| `keys/demo.key`, `keys/demo.pub` | the key that signs every package |
| `.github/workflows/ferry.yml`, `.gitlab-ci.yml` | CI running the pipeline |
)";

std::string Fill(std::string text, const std::string& key, const std::string& value) {
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
    text.replace(at, key.size(), value);
    at += value.size();
  }
  return text;
}

}  // namespace

ProjectTemplate DemoTemplate(const DemoSettings& s) {
  const std::string pipeline = Fill(Fill(FillName(kPipeline, s.pipeline), "@MODEL@", s.model),
                                    "@TRACKING_URI@", s.tracking_uri);
  ProjectTemplate t;
  t.name = "demo";
  t.files.push_back({"pipeline.yaml", pipeline});
  t.files.push_back({"schema.json", RecommenderSchema()});
  t.files.push_back({"thresholds.json", kThresholds});
  t.files.push_back({"README.md", Fill(Fill(FillName(kReadme, s.pipeline), "@MODEL@", s.model),
                                       "@TRACKING_URI@", s.tracking_uri) +
                                      ReadmeCommonSections()});
  for (auto& f : CiFiles()) t.files.push_back(std::move(f));
  return t;
}

}  // namespace ferry::cli::init
