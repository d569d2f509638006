#include "pipeline/slurm/slurm_script.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "common/fs.h"
#include "common/process.h"

namespace ferry::pipeline::slurm {
namespace {

const std::vector<std::string> kNasty = {
    "two words",          "it's", "\"double\"", "$HOME and ${PATH}", "`id`", "back\\slash",
    "line one\nline two", "*",    "",           "; rm -rf /",        "'",    "''",
    "tab\there",          "%j"};

// Runs the batch script with /bin/sh, as slurmd would, and returns what it printed.
std::string RunScript(const std::string& script) {
  auto dir = TempDir::Create("slurm-script-test");
  EXPECT_TRUE(dir.ok());
  const std::string path = JoinPath(dir->path(), "job.sh");
  EXPECT_TRUE(WriteFileAtomic(path, script).ok());
  ProcessOptions o;
  o.stdin_null = true;
  o.tail_bytes = 1 << 16;
  auto r = RunProcess({"/bin/sh", path}, o);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 0) << r->output_tail;
  return r->output_tail;
}

StepJob Job(std::vector<std::string> argv) {
  StepJob job;
  job.id = "run 1/train.0";
  job.argv = std::move(argv);
  job.work_dir = "/work/dir with space";
  job.log_path = "/logs/step%1.log";
  return job;
}

TEST(ShellQuote, EveryArgumentComesBackExactly) {
  std::vector<std::string> argv = {"/usr/bin/printf", "[%s]"};
  argv.insert(argv.end(), kNasty.begin(), kNasty.end());
  auto script = BatchScript(Job(argv));
  ASSERT_TRUE(script.ok()) << script.status();
  std::string expected;
  for (const std::string& a : kNasty) expected += "[" + a + "]";
  EXPECT_EQ(RunScript(*script), expected);
}

TEST(BatchScript, ExportsTheEnvironmentQuoted) {
  StepJob job = Job({"/bin/sh", "-c", "printf '%s|%s' \"$FERRY_A\" \"$FERRY_B\""});
  job.env = {{"FERRY_A", "it's $x\nnext"}, {"FERRY_B", ""}};
  auto script = BatchScript(job);
  ASSERT_TRUE(script.ok());
  EXPECT_EQ(RunScript(*script), "it's $x\nnext|");
}

TEST(BatchScript, TimeoutWrapsTheCommand) {
  StepJob job = Job({"/bin/sleep", "5"});
  job.timeout_seconds = 1;
  auto script = BatchScript(job);
  ASSERT_TRUE(script.ok());
  EXPECT_NE(script->find("exec timeout --kill-after=10 1 '/bin/sleep' '5'\n"), std::string::npos)
      << *script;
  ProcessOptions o;
  o.stdin_null = true;
  auto dir = TempDir::Create("slurm-script-test");
  const std::string path = JoinPath(dir->path(), "job.sh");
  ASSERT_TRUE(WriteFileAtomic(path, *script).ok());
  auto r = RunProcess({"/bin/sh", path}, o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 124);
}

TEST(BatchScript, RefusesWhatCannotRun) {
  EXPECT_EQ(BatchScript(Job({})).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(BatchScript(Job({"relative/prog"})).status().code(),
            absl::StatusCode::kInvalidArgument);
  StepJob job = Job({"/bin/true"});
  job.env = {{"NOT-A-NAME", "x"}};
  auto s = BatchScript(job);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(s.status().message()).find("NOT-A-NAME"), std::string::npos);
}

TEST(SbatchArgs, CarryTheJobAndItsResources) {
  StepJob job = Job({"/bin/true"});
  job.timeout_seconds = 61;
  job.resources.cpus = 2;
  job.resources.memory_mb = 512;
  auto args = SbatchArgs(job, "batch", "/tmp/s.sh");
  ASSERT_TRUE(args.ok()) << args.status();
  const std::vector<std::string> expected = {"--parsable",
                                             "--job-name=run_1_train.0",
                                             "--chdir=/work/dir with space",
                                             "--output=/logs/step%%1.log",
                                             "--error=/logs/step%%1.log",
                                             "--open-mode=append",
                                             "--no-requeue",
                                             "--cpus-per-task=2",
                                             "--mem=512M",
                                             "--partition=batch",
                                             "--time=3",
                                             "/tmp/s.sh"};
  EXPECT_EQ(*args, expected);
  job.resources.partition = "gpu";
  job.timeout_seconds = 0;
  job.resources.memory_mb = 0;
  args = SbatchArgs(job, "batch", "/tmp/s.sh");
  ASSERT_TRUE(args.ok());
  EXPECT_NE(std::find(args->begin(), args->end(), "--partition=gpu"), args->end());
  EXPECT_EQ(std::count_if(args->begin(), args->end(),
                          [](const std::string& a) {
                            return a.rfind("--time", 0) == 0 || a.rfind("--mem", 0) == 0;
                          }),
            0);
}

TEST(SbatchArgs, RefusesRelativeOrBackslashedPaths) {
  StepJob job = Job({"/bin/true"});
  job.work_dir = "relative";
  EXPECT_EQ(SbatchArgs(job, "", "/s").status().code(), absl::StatusCode::kInvalidArgument);
  job = Job({"/bin/true"});
  job.log_path = "/a\\b.log";
  EXPECT_EQ(SbatchArgs(job, "", "/s").status().code(), absl::StatusCode::kInvalidArgument);
  job = Job({"/bin/true"});
  job.resources.cpus = 0;
  EXPECT_EQ(SbatchArgs(job, "", "/s").status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(TimeLimit, RoundsUpPlusOneMinute) {
  EXPECT_EQ(TimeLimitMinutes(0), 0);
  EXPECT_EQ(TimeLimitMinutes(1), 2);
  EXPECT_EQ(TimeLimitMinutes(60), 2);
  EXPECT_EQ(TimeLimitMinutes(61), 3);
}

TEST(SlurmJobName, KeepsSafeCharacters) {
  EXPECT_EQ(SlurmJobName("run-1.train_x.0"), "run-1.train_x.0");
  EXPECT_EQ(SlurmJobName("a b/c'd"), "a_b_c_d");
  EXPECT_EQ(SlurmJobName(""), "ferry-step");
}

}  // namespace
}  // namespace ferry::pipeline::slurm
