#include <gtest/gtest.h>

#include "pipeline/spec.h"

namespace ferry::pipeline {
namespace {

absl::StatusOr<PipelineSpec> Parse(const std::string& text) {
  return ParsePipelineSpec(text, "p.yaml", "/base");
}

constexpr char kGood[] = R"(name: demo
executor: local
concurrency: 3
tracking_uri: http://127.0.0.1:5000
parameters:
  lr: "0.1"
  epochs: {default: "5", description: passes}
steps:
  prepare:
    kind: command
    argv: [sh, -c, "cp ${inputs.raw} ${outputs.clean}"]
    inputs: {raw: data/raw.csv}
    outputs: {clean: clean.csv}
    env: {LR: "${params.lr}"}
    cache_key: v2
    retries: 2
    timeout: 5m
    resources: {cpus: 2, memory_mb: 512, partition: debug}
  train:
    kind: train
    executor: slurm
    inputs: {data: steps.prepare.outputs.clean}
    outputs: [package]
    params: {family: linear, target: y, l2: "${params.lr}"}
  report:
    kind: command
    argv: [echo, done]
    depends_on: [train]
    cache: false
)";

TEST(PipelineSpec, ParsesEveryField) {
  auto spec = Parse(kGood);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->name, "demo");
  EXPECT_EQ(spec->concurrency, 3);
  EXPECT_EQ(spec->tracking_uri, "http://127.0.0.1:5000");
  ASSERT_EQ(spec->parameters.size(), 2u);
  EXPECT_EQ(spec->FindParameter("epochs")->default_value, "5");
  ASSERT_EQ(spec->steps.size(), 3u);
  const StepSpec& prepare = spec->steps[0];
  EXPECT_EQ(prepare.kind, StepKind::kCommand);
  EXPECT_EQ(prepare.argv.size(), 3u);
  EXPECT_EQ(prepare.inputs.at("raw").path, "data/raw.csv");
  EXPECT_EQ(prepare.outputs.at("clean"), "clean.csv");
  EXPECT_EQ(prepare.retries, 2);
  EXPECT_EQ(prepare.timeout_seconds, 300);
  EXPECT_EQ(prepare.resources.cpus, 2);
  EXPECT_EQ(prepare.resources.memory_mb, 512);
  EXPECT_EQ(prepare.resources.partition, "debug");
  EXPECT_EQ(prepare.where.line, 9);
  EXPECT_EQ(prepare.where.column, 3);
  const StepSpec& train = spec->steps[1];
  EXPECT_EQ(train.kind, StepKind::kTrain);
  EXPECT_EQ(train.executor, "slurm");
  EXPECT_EQ(train.inputs.at("data").from_step, "prepare");
  EXPECT_EQ(train.inputs.at("data").from_output, "clean");
  EXPECT_EQ(train.outputs.at("package"), "package");
  EXPECT_FALSE(spec->steps[2].cache);
  EXPECT_EQ(spec->steps[2].depends_on, std::vector<std::string>{"train"});
}

TEST(PipelineSpec, ErrorsAreLocatedAndSayWhatWasExpected) {
  const std::string head = "name: x\nsteps:\n  a:\n    kind: command\n    argv: [true]\n";
  static const struct {
    std::string text;
    std::string want;  // the start of the message
  } cases[] = {
      {head + "    retries: many\n", "p.yaml:6:14: steps.a.retries: expected an integer"},
      {head + "    timeout: soon\n", "p.yaml:6:14: steps.a.timeout: expected a duration"},
      {head + "    colour: red\n", "p.yaml:6:5: steps.a: unknown key 'colour'"},
      {head + "    cache: maybe\n", "p.yaml:6:12: steps.a.cache: expected true or false"},
      {head + "    depends_on: b\n", "p.yaml:6:17: steps.a.depends_on: expected a list"},
      {head + "    depends_on: [zz]\n", "p.yaml:6:18: steps.a.depends_on: no step named 'zz'"},
      {head + "    inputs: {i: steps.zz.outputs.o}\n",
       "p.yaml:6:17: steps.a.inputs.i: no step named 'zz'"},
      {head + "    inputs: {i: steps.a.output.o}\n",
       "p.yaml:6:17: steps.a.inputs.i: expected steps.<step>.outputs.<output>"},
      {head + "    executor: k8s\n", "p.yaml:6:15: steps.a.executor: unknown executor 'k8s'"},
      {head + "    outputs: {o: ../up}\n", "p.yaml:6:15: steps.a.outputs.o: expected a relative"},
      {head + "    resources: {cpus: 0}\n", "p.yaml:6:23: steps.a.resources.cpus: expected"},
      {"name: x\nsteps:\n  a:\n    kind: comand\n    argv: [x]\n",
       "p.yaml:4:11: steps.a.kind: unknown step kind 'comand'"},
      {"name: x\nsteps:\n  a:\n    kind: gate\n",
       "p.yaml:3:3: steps.a: a gate step needs inputs.metrics"},
      {"name: x\nsteps:\n  a:\n    kind: command\n", "p.yaml:4:5: steps.a: a command step needs"},
      {"name: x\nsteps:\n  a:\n    argv: [x]\n", "p.yaml:4:5: steps.a: missing 'kind'"},
      {"name: x\nsteps:\n  a: {kind: command, argv: [x\n", "p.yaml:4:1: not valid YAML"},
      {"steps:\n  a: {kind: command, argv: [x]}\n", "p.yaml:1:1: pipeline: missing 'name'"},
      {"name: x\n", "p.yaml:1:1: pipeline: missing 'steps'"},
      {"- a\n", "p.yaml:1:1: pipeline: expected a mapping at the top"},
      {"name: x\nfoo: 1\nsteps: {}\n", "p.yaml:2:1: pipeline: unknown key 'foo'"},
      {"name: x\nsteps:\n  a: {kind: command, argv: [\"${params.p}\"]}\n",
       "p.yaml:3:3: steps.a.argv: unknown reference '${params.p}'"},
      {"name: x\nsteps:\n  a: {kind: train, inputs: {data: d.csv}, outputs: [package]}\n",
       "p.yaml:3:3: steps.a: a train step needs params.family"},
      {"name: x\nsteps:\n  a: {kind: evaluate, inputs: {package: p}}\n",
       "p.yaml:3:3: steps.a: an evaluate step needs outputs.metrics"},
      {"name: x\nsteps:\n  a: {kind: command, argv: [x], outputs: [o], inputs: {i: "
       "steps.b.outputs.o}}\n  b: {kind: command, argv: [x], outputs: [o], inputs: {i: "
       "steps.a.outputs.o}}\n",
       "p.yaml:3:3: steps: a cycle: a -> b -> a"},
  };
  for (const auto& c : cases) {
    auto spec = Parse(c.text);
    ASSERT_FALSE(spec.ok()) << c.text;
    EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(spec.status().message()).substr(0, c.want.size()), c.want)
        << spec.status().message();
  }
}

constexpr char kTriggers[] = R"(name: loop
tracking_uri: http://127.0.0.1:5000
cooldown: 10m
triggers:
  - schedule: "*/5 * * * *"
  - data: data/sessions.csv
    poll: 30s
  - data: ./raw
  - alert: {deployment: recsys, type: drift}
  - alert: {deployment: bc}
  - registry: {event: model_version.created, model: bc}
  - registry: {event: model_version_alias.created}
steps:
  a: {kind: command, argv: [x]}
)";

TEST(PipelineSpec, ParsesTriggers) {
  auto spec = Parse(kTriggers);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->cooldown_seconds, 600);
  ASSERT_EQ(spec->triggers.size(), 7u);
  const auto& t = spec->triggers;
  EXPECT_EQ(t[0].kind, TriggerKind::kSchedule);
  EXPECT_EQ(t[0].schedule, "*/5 * * * *");
  EXPECT_EQ(t[0].line, 5);
  EXPECT_EQ(t[0].column, 5);
  EXPECT_EQ(t[1].kind, TriggerKind::kNewData);
  EXPECT_EQ(t[1].path, "data/sessions.csv");
  EXPECT_EQ(t[1].poll_seconds, 30);
  EXPECT_EQ(t[2].path, "./raw");
  EXPECT_EQ(t[2].poll_seconds, 10);  // the default
  EXPECT_EQ(t[3].kind, TriggerKind::kAlert);
  EXPECT_EQ(t[3].deployment, "recsys");
  EXPECT_EQ(t[3].alert_type, "drift");
  EXPECT_EQ(t[4].alert_type, "any");
  EXPECT_EQ(t[5].kind, TriggerKind::kRegistryEvent);
  EXPECT_EQ(t[5].event, "model_version.created");
  EXPECT_EQ(t[5].model, "bc");
  EXPECT_EQ(t[6].model, "");
  // No triggers: none, and no cool-down.
  auto plain = Parse(kGood);
  ASSERT_TRUE(plain.ok());
  EXPECT_TRUE(plain->triggers.empty());
  EXPECT_EQ(plain->cooldown_seconds, 0);
}

TEST(PipelineSpec, TriggerErrorsAreLocated) {
  const std::string head =
      "name: x\ntracking_uri: http://h:1\nsteps: {a: {kind: command, argv: [x]}}\n";
  static const struct {
    std::string text;
    std::string want;
  } cases[] = {
      {head + "triggers: {schedule: x}\n", "p.yaml:4:11: triggers: expected a list"},
      {head + "triggers:\n  - every day\n", "p.yaml:5:5: triggers[0]: expected one of schedule"},
      {head + "triggers:\n  - {}\n", "p.yaml:5:5: triggers[0]: expected one of schedule"},
      {head + "triggers:\n  - schedule: \"61 * * * *\"\n",
       "p.yaml:5:15: triggers[0].schedule: cron minute field '61'"},
      {head + "triggers:\n  - schedule: \"* * *\"\n", "p.yaml:5:15: triggers[0].schedule: "},
      {head + "triggers:\n  - schedule: \"* * * * *\"\n    data: d\n",
       "p.yaml:6:5: triggers[0]: one kind per entry"},
      {head + "triggers:\n  - cron: \"* * * * *\"\n",
       "p.yaml:5:5: triggers[0]: unknown key 'cron'"},
      {head + "triggers:\n  - data: d\n    poll: often\n",
       "p.yaml:6:11: triggers[0].poll: expected a duration"},
      {head + "triggers:\n  - data: d\n    poll: 0s\n",
       "p.yaml:6:11: triggers[0].poll: expected at least 1s"},
      {head + "triggers:\n  - schedule: \"@daily\"\n    poll: 5s\n",
       "p.yaml:6:11: triggers[0].poll: only data triggers poll"},
      {head + "triggers:\n  - data: .\n", "p.yaml:5:11: triggers[0].data: expected a data file"},
      {head + "triggers:\n  - data: ./.ferry/pipelines\n", "p.yaml:5:11: triggers[0].data:"},
      {head + "triggers:\n  - data: [a]\n", "p.yaml:5:11: triggers[0].data: expected a string"},
      {head + "triggers:\n  - alert: {type: drift}\n",
       "p.yaml:5:12: triggers[0].alert: missing 'deployment'"},
      {head + "triggers:\n  - alert: {deployment: r, type: skew}\n",
       "p.yaml:5:34: triggers[0].alert.type: expected drift, data_drift"},
      {head + "triggers:\n  - alert: {deployment: r, window: 3}\n",
       "p.yaml:5:28: triggers[0].alert: unknown key 'window'"},
      {head + "triggers:\n  - alert: recsys\n",
       "p.yaml:5:12: triggers[0].alert: expected a mapping"},
      {head + "triggers:\n  - registry: {model: bc}\n",
       "p.yaml:5:15: triggers[0].registry: missing 'event'"},
      {head + "triggers:\n  - registry: {event: model.created}\n",
       "p.yaml:5:23: triggers[0].registry.event: unknown event 'model.created'"},
      {head + "triggers:\n  - registry: {event: monitoring_alert.firing}\n",
       "p.yaml:5:23: triggers[0].registry.event: monitoring alerts are an 'alert' trigger"},
      {head + "cooldown: soon\n", "p.yaml:4:11: cooldown: expected a duration"},
      {"name: x\nsteps: {a: {kind: command, argv: [x]}}\ntriggers:\n  - schedule: \"@hourly\"\n"
       "  - alert: {deployment: r}\n",
       "p.yaml:5:5: triggers[1]: an alert trigger needs the pipeline's tracking_uri"},
      {"name: x\nsteps: {a: {kind: command, argv: [x]}}\ntriggers:\n"
       "  - registry: {event: model_version.created}\n",
       "p.yaml:4:5: triggers[0]: a registry trigger needs the pipeline's tracking_uri"},
  };
  for (const auto& c : cases) {
    auto spec = Parse(c.text);
    ASSERT_FALSE(spec.ok()) << c.text;
    EXPECT_EQ(spec.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(spec.status().message()).substr(0, c.want.size()), c.want)
        << spec.status().message();
  }
}

TEST(PipelineSpec, ParametersTakeOverridesOfDeclaredNamesOnly) {
  auto spec = Parse(kGood);
  ASSERT_TRUE(spec.ok()) << spec.status();
  auto values = ResolveParameters(*spec, {{"lr", "0.5"}});
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(values->at("lr"), "0.5");
  EXPECT_EQ(values->at("epochs"), "5");
  auto bad = ResolveParameters(*spec, {{"nope", "1"}});
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("declared: lr, epochs"), std::string::npos);
}

}  // namespace
}  // namespace ferry::pipeline
