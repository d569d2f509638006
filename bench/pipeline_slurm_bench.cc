// Per-step overhead of the Slurm executor: a trivial step (/bin/true) from Submit to the
// final state seen by Poll, one step at a time, against the same command started directly
// with fork+exec (common/process.h), and a batch of steps submitted at once. Run by
// bench/run_pipeline_slurm_bench.sh against the cluster of scripts/lib/slurm.sh.
//   pipeline_slurm_bench WORK_DIR [STEPS] [BATCH]

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "common/fs.h"
#include "common/process.h"
#include "pipeline/slurm/slurm_executor.h"

namespace {

using Clock = std::chrono::steady_clock;
using ferry::pipeline::Executor;
using ferry::pipeline::JobState;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

void Report(const char* what, std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[std::min(ms.size() - 1, size_t(q * ms.size()))]; };
  std::printf("%-34s n=%-4zu min=%9.2f ms  median=%9.2f ms  p90=%9.2f ms  max=%9.2f ms\n", what,
              ms.size(), ms.front(), at(0.5), at(0.9), ms.back());
}

ferry::pipeline::StepJob TrueStep(const std::string& work, int i) {
  ferry::pipeline::StepJob job;
  job.id = "bench." + std::to_string(i) + ".0";
  job.argv = {"/bin/true"};
  job.work_dir = work;
  job.log_path = ferry::JoinPath(work, "steps.log");
  return job;
}

// Polls every 20 ms until the job is final; false on an error or a non-success end.
bool WaitSucceeded(Executor& executor, const std::string& handle) {
  for (;;) {
    auto s = executor.Poll(handle);
    if (!s.ok()) {
      std::fprintf(stderr, "poll: %s\n", std::string(s.status().message()).c_str());
      return false;
    }
    if (ferry::pipeline::IsFinal(s->state)) return s->state == JobState::kSucceeded;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s WORK_DIR [STEPS] [BATCH]\n", argv[0]);
    return 2;
  }
  const std::string work = argv[1];
  const int steps = argc > 2 ? std::atoi(argv[2]) : 20;
  const int batch = argc > 3 ? std::atoi(argv[3]) : 20;
  ferry::pipeline::SlurmOptions options;
  if (const char* conf = std::getenv("SLURM_CONF")) options.slurm_conf = conf;
  options.poll_interval = std::chrono::milliseconds(100);
  auto executor = ferry::pipeline::MakeSlurmExecutor(options);
  if (!executor.ok()) {
    std::fprintf(stderr, "%s\n", std::string(executor.status().message()).c_str());
    return 1;
  }

  std::vector<double> local;
  for (int i = 0; i < steps; ++i) {
    ferry::ProcessOptions o;
    o.stdin_null = true;
    const auto t0 = Clock::now();
    auto r = ferry::RunProcess({"/bin/true"}, o);
    if (!r.ok() || r->exit_code != 0) return 1;
    local.push_back(Ms(Clock::now() - t0));
  }
  Report("fork+exec /bin/true", local);

  std::vector<double> submit, total;
  for (int i = 0; i < steps; ++i) {
    const auto t0 = Clock::now();
    auto handle = (*executor)->Submit(TrueStep(work, i));
    if (!handle.ok()) {
      std::fprintf(stderr, "submit: %s\n", std::string(handle.status().message()).c_str());
      return 1;
    }
    submit.push_back(Ms(Clock::now() - t0));
    if (!WaitSucceeded(**executor, *handle)) return 1;
    total.push_back(Ms(Clock::now() - t0));
  }
  Report("slurm: sbatch (Submit)", submit);
  Report("slurm: Submit -> final state seen", total);

  const auto t0 = Clock::now();
  std::vector<std::string> handles;
  for (int i = 0; i < batch; ++i) {
    auto handle = (*executor)->Submit(TrueStep(work, steps + i));
    if (!handle.ok()) return 1;
    handles.push_back(*handle);
  }
  for (const std::string& h : handles) {
    if (!WaitSucceeded(**executor, h)) return 1;
  }
  const double all = Ms(Clock::now() - t0);
  std::printf("%-34s %d steps submitted at once, all final after %.0f ms (%.1f ms/step)\n",
              "slurm: batch", batch, all, all / batch);
  return 0;
}
