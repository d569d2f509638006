// What every template shares: the CI snippets running the pipeline and the README's sections
// on CI, triggers and the steps that come next.

#include "cli/init/templates.h"

namespace ferry::cli::init {
namespace {

constexpr char kGithub[] =
    R"(# Runs the project's pipeline on every push and pull request, every Monday at 03:00 UTC
# (a scheduled retrain) and by hand. The runner needs the `ferry` binary on PATH.
name: ferry pipeline
on:
  push:
  pull_request:
  schedule:
    - cron: "0 3 * * 1"
  workflow_dispatch:
jobs:
  pipeline:
    runs-on: ubuntu-latest
    # To record runs on your tracking server, set the repository variable
    # FERRY_TRACKING_URI and add `--tracking-uri "${{ vars.FERRY_TRACKING_URI }}"` below.
    steps:
      - uses: actions/checkout@v4
      - name: ferry on PATH
        run: command -v ferry || { echo "install ferry on the runner first" >&2; exit 1; }
      - name: run the pipeline
        run: ferry pipeline run -f pipeline.yaml
      - name: keep the run records
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: ferry-pipeline-runs
          path: .ferry/pipelines/runs/
)";

constexpr char kGitlab[] =
    R"(# Runs the project's pipeline on every push; add a pipeline schedule (CI/CD > Schedules)
# for a periodic retrain. The job's image needs the `ferry` binary on PATH.
ferry-pipeline:
  stage: test
  script:
    - ferry pipeline run -f pipeline.yaml
  artifacts:
    when: always
    paths:
      - .ferry/pipelines/runs/
)";

constexpr char kReadmeCommon[] = R"(
## CI

`.github/workflows/ferry.yml` (GitHub Actions) and `.gitlab-ci.yml` (GitLab) run
`ferry pipeline run -f pipeline.yaml` and keep `.ferry/pipelines/runs/` (run records and
logs) as artifacts. Keep the one your forge uses. The runner needs `ferry` on `PATH`.

## Triggers

A pipeline run is started by whatever runs `ferry pipeline run`:

- on a code or data change: the CI snippets run it on every push;
- on a schedule: the GitHub workflow's `schedule:` (`cron: "0 3 * * 1"`, Mondays 03:00
  UTC) or a GitLab pipeline schedule; a crontab line works as well:
  `0 3 * * 1 cd /path/to/project && ferry pipeline run`;
- on new data: run it from whatever lands the data (only changed steps run; the rest are
  cache hits).

## Next

- `register`: add a `kind: register` step (param `model`, needs a tracking URI) so each run
  registers the package as a new model version.
- `gate`: a `kind: gate` step (inputs `metrics` from `evaluate` and a `thresholds` JSON file)
  blocks a model below absolute floors or worse than `@champion` by more than allowed.
- `promote`: a `kind: promote` step (input `version` from `register`) sends the new version
  a share of live traffic as a canary on a server started with
  `ferry server --deploy models:/NAME@champion`, then moves `@champion` or rolls back.
  `ferry demo` runs a project with all of these (docs/PIPELINES.md, "Gates").
- `ferry maturity` (add `--server URL` for the registry, runs and monitoring) scores the
  project on the ML Test Score and Google's MLOps levels and lists what is missing.
)";

}  // namespace

std::string FillName(std::string text, const std::string& name) {
  for (size_t at = text.find("@NAME@"); at != std::string::npos; at = text.find("@NAME@", at)) {
    text.replace(at, 6, name);
    at += name.size();
  }
  return text;
}

std::vector<ProjectFile> CiFiles() {
  return {{".github/workflows/ferry.yml", kGithub}, {".gitlab-ci.yml", kGitlab}};
}

std::string ReadmeCommonSections() { return kReadmeCommon; }

}  // namespace ferry::cli::init
