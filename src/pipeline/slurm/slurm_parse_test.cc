#include "pipeline/slurm/slurm_parse.h"

#include <gtest/gtest.h>

namespace ferry::pipeline::slurm {
namespace {

// Captured from Debian slurm-wlm 22.05.8 (scripts/lib/slurm.sh's cluster):
// `squeue -h -t all -O 'JobID:|,State:|,Reason:|,exit_code:|'` after `exit 3` (2),
// `timeout 2 sleep 100` (4), scancel of a running `sleep` (3), `kill -9 $$` (5), a Slurm time
// limit (7), an afterok dependency on a failed job (8), and jobs still waiting or running.
constexpr const char* kSqueue =
    "8|CANCELLED|DependencyNeverSatisfied|0|\n"
    "3|CANCELLED|None|15|\n"
    "1|COMPLETED|None|0|\n"
    "2|FAILED|NonZeroExitCode|768|\n"
    "4|FAILED|NonZeroExitCode|31744|\n"
    "5|FAILED|JobLaunchFailure|9|\n"
    "7|TIMEOUT|TimeLimit|15|\n"
    "9|PENDING|Resources|0|\n"
    "10|PENDING|Priority|0|\n"
    "6|RUNNING|None|0|\n";

// `scontrol show job -o <id>` lines of the same jobs, cut after ExitCode.
constexpr const char* kScontrol1 =
    "JobId=1 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901759 Ni"
    "ce=0 Account=(null) QOS=(null) JobState=COMPLETED Reason=None Dependency=(null) Requeue="
    "1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:0";
constexpr const char* kScontrol2 =
    "JobId=2 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901758 Ni"
    "ce=0 Account=(null) QOS=(null) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) "
    "Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=3:0";
constexpr const char* kScontrol3 =
    "JobId=3 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901757 Ni"
    "ce=0 Account=(null) QOS=(null) JobState=CANCELLED Reason=None Dependency=(null) Requeue="
    "1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:15";
constexpr const char* kScontrol4 =
    "JobId=4 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901756 Ni"
    "ce=0 Account=(null) QOS=(null) JobState=FAILED Reason=NonZeroExitCode Dependency=(null) "
    "Requeue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=124:0";
constexpr const char* kScontrol7 =
    "JobId=7 JobName=wrap UserId=root(0) GroupId=root(0) MCS_label=N/A Priority=4294901753 Ni"
    "ce=0 Account=(null) QOS=(null) JobState=TIMEOUT Reason=TimeLimit Dependency=(null) Reque"
    "ue=1 Restarts=0 BatchFlag=1 Reboot=0 ExitCode=0:15";
constexpr const char* kScontrol8 =
    "JobId=8 JobName=averyveryverylongjobnamethatisover20chars UserId=root(0) GroupId=root(0)"
    " MCS_label=N/A Priority=4294967294 Nice=0 Account=(null) QOS=(null) JobState=CANCELLED R"
    "eason=DependencyNeverSatisfied Dependency=afterok:2(failed) Requeue=1 Restarts=0 BatchFl"
    "ag=1 Reboot=0 ExitCode=0:0";

TEST(SbatchParse, JobIdAloneOrWithCluster) {
  EXPECT_EQ(*ParseSbatchJobId("1\n"), "1");
  EXPECT_EQ(*ParseSbatchJobId("4242;ferrytest\n"), "4242");
  EXPECT_EQ(ParseSbatchJobId("").status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(ParseSbatchJobId("Submitted batch job 3").status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_FALSE(ParseSbatchJobId("7_1").ok());
}

TEST(SqueueParse, EveryLineWithDecodedWaitStatus) {
  auto jobs = ParseSqueue(kSqueue);
  ASSERT_EQ(jobs.size(), 10u);
  EXPECT_EQ(jobs["1"].state, "COMPLETED");
  EXPECT_EQ(jobs["1"].exit_code, 0);
  EXPECT_EQ(jobs["2"].state, "FAILED");
  EXPECT_EQ(jobs["2"].exit_code, 3);  // 768 = 3 << 8
  EXPECT_EQ(jobs["2"].signal, 0);
  EXPECT_EQ(jobs["4"].exit_code, 124);
  EXPECT_EQ(jobs["3"].signal, 15);
  EXPECT_EQ(jobs["3"].exit_code, 128 + 15);
  EXPECT_EQ(jobs["8"].reason, "DependencyNeverSatisfied");
  EXPECT_EQ(jobs["9"].state, "PENDING");
  EXPECT_EQ(jobs["9"].reason, "Resources");
}

TEST(SqueueParse, SkipsMalformedLinesAndAcceptsEmptyOutput) {
  EXPECT_TRUE(ParseSqueue("").empty());
  auto jobs = ParseSqueue("garbage\nx|RUNNING|None|0|\n12|RUNNING|None|nan|\n13|RUNNING|None|0|\n");
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs.count("13"), 1u);
}

TEST(ScontrolParse, StateReasonAndExitSignal) {
  auto done = ParseScontrolJob(kScontrol1);
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->state, "COMPLETED");
  EXPECT_EQ(done->exit_code, 0);
  auto failed = ParseScontrolJob(kScontrol2);
  EXPECT_EQ(failed->state, "FAILED");
  EXPECT_EQ(failed->reason, "NonZeroExitCode");
  EXPECT_EQ(failed->exit_code, 3);
  auto cancelled = ParseScontrolJob(kScontrol3);
  EXPECT_EQ(cancelled->state, "CANCELLED");
  EXPECT_EQ(cancelled->signal, 15);
  EXPECT_EQ(ParseScontrolJob(kScontrol4)->exit_code, 124);
  EXPECT_EQ(ParseScontrolJob(kScontrol7)->state, "TIMEOUT");
  // A job name longer than squeue's default column, and a dependency, do not confuse it.
  EXPECT_EQ(ParseScontrolJob(kScontrol8)->reason, "DependencyNeverSatisfied");
  EXPECT_FALSE(ParseScontrolJob("slurm_load_jobs error: Invalid job id specified").has_value());
  EXPECT_FALSE(ParseScontrolJob("").has_value());
}

TEST(ScontrolParse, FieldsAreMatchedWholeNotAsSuffixes) {
  auto info = ParseScontrolJob("JobId=5 OldJobState=RUNNING JobState=FAILED Reason=X ExitCode=2:0");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->state, "FAILED");
  EXPECT_EQ(info->exit_code, 2);
}

// The sacct -P layout (accounting is off on the test cluster, so this line is written by hand
// in the documented format).
TEST(SacctParse, LineOfTheJob) {
  auto info = ParseSacct("41|CANCELLED by 0|0:15\n42|FAILED|3:0\n", "42");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->state, "FAILED");
  EXPECT_EQ(info->exit_code, 3);
  EXPECT_EQ(ParseSacct("41|CANCELLED by 0|0:15\n", "41")->state, "CANCELLED");
  EXPECT_FALSE(ParseSacct("41|FAILED|3:0\n", "4").has_value());
  EXPECT_FALSE(ParseSacct("", "4").has_value());
}

JobStatus StatusOf(const std::string& id, int64_t timeout = 0) {
  return ToJobStatus(ParseSqueue(kSqueue)[id], timeout);
}

TEST(SlurmStates, MapToJobStates) {
  EXPECT_EQ(StatusOf("1").state, JobState::kSucceeded);
  JobStatus failed = StatusOf("2");
  EXPECT_EQ(failed.state, JobState::kFailed);
  EXPECT_EQ(failed.exit_code, 3);
  EXPECT_EQ(failed.reason, "exit 3");
  EXPECT_EQ(StatusOf("3").state, JobState::kCancelled);
  EXPECT_EQ(StatusOf("8").state, JobState::kCancelled);
  EXPECT_EQ(StatusOf("8").reason, "CANCELLED (DependencyNeverSatisfied)");
  EXPECT_EQ(StatusOf("5").state, JobState::kFailed);
  EXPECT_EQ(StatusOf("5").reason, "signal 9 (JobLaunchFailure)");
  EXPECT_EQ(StatusOf("7").state, JobState::kTimedOut);
  EXPECT_EQ(StatusOf("9").state, JobState::kQueued);
  EXPECT_EQ(StatusOf("9").reason, "Resources");
  EXPECT_EQ(StatusOf("6").state, JobState::kRunning);
}

TEST(SlurmStates, ExitCode124IsATimeoutOnlyWhenTheScriptHadOne) {
  JobStatus timed_out = StatusOf("4", 2);
  EXPECT_EQ(timed_out.state, JobState::kTimedOut);
  EXPECT_EQ(timed_out.reason, "timed out after 2 s");
  EXPECT_EQ(StatusOf("4", 0).state, JobState::kFailed);
}

TEST(SlurmStates, OtherStates) {
  auto map = [](const char* state) { return ToJobStatus({state, "None", 0, 0}, 0).state; };
  EXPECT_EQ(map("CONFIGURING"), JobState::kQueued);
  EXPECT_EQ(map("REQUEUED"), JobState::kQueued);
  EXPECT_EQ(map("COMPLETING"), JobState::kRunning);
  EXPECT_EQ(map("SUSPENDED"), JobState::kRunning);
  EXPECT_EQ(map("NODE_FAIL"), JobState::kFailed);
  EXPECT_EQ(map("OUT_OF_MEMORY"), JobState::kFailed);
  EXPECT_EQ(map("BOOT_FAIL"), JobState::kFailed);
  EXPECT_EQ(map("PREEMPTED"), JobState::kFailed);
  EXPECT_EQ(map("DEADLINE"), JobState::kTimedOut);
  // A state this code does not know is never taken as an end.
  EXPECT_EQ(map("SOMETHING_NEW"), JobState::kRunning);
  EXPECT_EQ(ToJobStatus({"OUT_OF_MEMORY", "None", 0, 0}, 0).reason, "OUT_OF_MEMORY");
}

}  // namespace
}  // namespace ferry::pipeline::slurm
