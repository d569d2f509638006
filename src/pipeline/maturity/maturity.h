#pragma once
// The MLOps maturity assessment (`ferry maturity`): what Ferry observed about a project and
// its server (Observations, gathered by cli/maturity/) turned into the 28 tests of the ML
// Test Score (Breck et al., IEEE Big Data 2017: 0.5 for a manual test, 1.0 for an automated
// one, the final score is the minimum of the four section sums) and Google's MLOps levels
// 0/1/2. Pure computation: the same observations always give the same assessment.
// docs/MATURITY.md describes each rule.

#include <optional>
#include <string>
#include <vector>

namespace ferry::pipeline::maturity {

// What the project directory shows.
struct ProjectFacts {
  std::string pipeline_file;   // relative path of the pipeline file; "" when there is none
  std::string pipeline_error;  // why the pipeline file did not parse ("" when it did)
  // Step kinds of the pipeline: the built-in ones, and for command steps running the ferry
  // binary "gate", "promote", "bias", "drift" or "schema" when they run those commands.
  std::vector<std::string> step_kinds;
  bool retries = false;                     // a step has retries or a timeout
  bool train_seed = false;                  // the train step fixes its seed
  std::string schema_file;                  // a data schema in the project ("" when none)
  std::vector<std::string> ci_files;        // CI files that run `ferry pipeline run`
  std::vector<std::string> ci_schedules;    // ... of them on a cron schedule (a trigger)
  bool git = false;                         // the directory is in a git work tree
  int local_runs = 0;                       // pipeline runs recorded beside the pipeline file
  std::vector<std::string> local_triggers;  // their triggers other than "manual"

  bool HasKind(const std::string& kind) const;
};

struct ModelFacts {
  std::string name;
  int versions = 0;
  std::vector<std::string> aliases;             // "champion=3"
  std::vector<std::string> gated_versions;      // versions tagged ferry.gate
  std::vector<std::string> promotion_versions;  // versions tagged ferry.promotion
};

struct PipelineRunFacts {
  std::string run_id;  // the MLflow run
  std::string pipeline;
  std::string trigger;  // "manual", "schedule", "drift", ...
};

struct DeploymentFacts {
  std::string name;
  bool monitored = false;  // live monitoring has a schema/reference for it
  bool reference = false;  // a training reference profile (drift, skew)
  bool alerts = false;     // alerting is configured (alert_after > 0)
  bool labels = false;     // windows carry performance from labels
};

// What the tracking server shows; `reached` false (with `error`) when it could not be asked.
struct ServerFacts {
  std::string url;
  bool reached = false;
  std::string error;
  std::vector<ModelFacts> models;
  std::vector<PipelineRunFacts> pipeline_runs;
  std::vector<DeploymentFacts> deployments;
};

struct Observations {
  std::string dir;
  ProjectFacts project;
  std::optional<ServerFacts> server;
};

struct TestResult {
  std::string id;       // "Data 1" ... "Monitor 7"
  std::string section;  // "Data", "Model", "Infra", "Monitor"
  std::string name;
  double score = 0;      // 0, 0.5 (manual) or 1 (automated)
  std::string evidence;  // what was found ("" when nothing)
  std::string missing;   // what is missing and how to add it with Ferry ("" at 1.0)
};

struct SectionScore {
  std::string section;
  double score = 0;
};

struct Characteristic {
  int level = 1;  // 1 or 2: the level that needs it
  std::string name;
  bool met = false;
  std::string evidence;
  std::string missing;
};

struct Assessment {
  std::vector<TestResult> tests;                // the 28, in the paper's order
  std::vector<SectionScore> sections;           // Data, Model, Infra, Monitor
  double score = 0;                             // the minimum of the sections
  std::string band;                             // the paper's reading of the score
  int level = 0;                                // Google's MLOps level 0, 1 or 2
  std::vector<Characteristic> characteristics;  // levels 1 and 2, met or not
};

Assessment Assess(const Observations& o);

// The ML Test Score paper's reading of a final score ("research project", ...).
std::string ScoreBand(double score);

}  // namespace ferry::pipeline::maturity
