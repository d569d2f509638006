#pragma once
// The project templates of `ferry init`: each is a list of files (pipeline.yaml, data or how
// to make it, a schema, a README and CI snippets) written as they are into the new project.
// One file per template (tabular_template.cc, recommender_template.cc); the CI snippets and
// the README's common parts are shared (ci_files.cc).

#include <string>
#include <string_view>
#include <vector>

namespace ferry::cli::init {

struct ProjectFile {
  std::string path;  // relative to the project directory
  std::string content;
};

struct ProjectTemplate {
  std::string name;
  std::vector<ProjectFile> files;
  // When set: after writing the files, infer a schema of `schema_from` into `schema_to`
  // (`ferry monitor schema`), both relative to the project.
  std::string schema_from;
  std::string schema_to;
};

// `pipeline` is the pipeline's name (letters, digits, '_' and '-').
ProjectTemplate TabularTemplate(const std::string& pipeline);
ProjectTemplate RecommenderTemplate(const std::string& pipeline);

// The demo's project (`ferry demo`): the recommender's loop with sign, gate, register and
// promote steps against `tracking_uri`, a trigger on the deployment's drift alerts, data in
// data/sessions.csv, a key in keys/.
struct DemoSettings {
  std::string pipeline;      // the pipeline's name
  std::string model;         // the registered model (and deployment) name
  std::string tracking_uri;  // the demo's server
};
ProjectTemplate DemoTemplate(const DemoSettings& settings);
// The recommender templates' schema.json (columns session, item, time).
const char* RecommenderSchema();

// `text` with every @NAME@ replaced by `name`.
std::string FillName(std::string text, const std::string& name);

// .github/workflows/ferry.yml and .gitlab-ci.yml, both running `ferry pipeline run`.
std::vector<ProjectFile> CiFiles();
// The README's closing sections, alike for every template: CI, triggers, what comes next.
std::string ReadmeCommonSections();

// The tabular template's data set (tests/data/breast_cancer.csv, embedded at build time).
std::string_view TabularCsv();

}  // namespace ferry::cli::init
