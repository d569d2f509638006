#include "cli/server/monitor_flags.h"

#include "cli/flags.h"
#include "gtest/gtest.h"

namespace ferry::cli {
namespace {

absl::StatusOr<LiveMonitorConfig> Parse(const std::vector<std::string>& args) {
  FlagSet f("ferry x", "test");
  DeclareLiveMonitorFlags(f);
  if (absl::Status s = f.Parse(args); !s.ok()) return s;
  return LiveMonitorConfigFromFlags(f);
}

TEST(MonitorFlagsTest, Defaults) {
  auto c = Parse({});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->mode, MonitorMode::kAuto);
  EXPECT_EQ(c->window_rows, 1000);
  EXPECT_EQ(c->window_seconds, 0);
  EXPECT_EQ(c->alert_after, 2);
  EXPECT_EQ(c->clear_after, 2);
  EXPECT_EQ(c->sample_rate, 1);
  EXPECT_EQ(c->segment, "");
}

TEST(MonitorFlagsTest, ParsesEveryFlag) {
  auto c = Parse({"--monitor", "on", "--monitor-window-rows", "0", "--monitor-window-seconds", "60",
                  "--monitor-segment", "region", "--monitor-alert-after", "3",
                  "--monitor-clear-after", "4", "--monitor-sample-rate", "0.25"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->mode, MonitorMode::kOn);
  EXPECT_EQ(c->window_rows, 0);
  EXPECT_EQ(c->window_seconds, 60);
  EXPECT_EQ(c->segment, "region");
  EXPECT_EQ(c->alert_after, 3);
  EXPECT_EQ(c->clear_after, 4);
  EXPECT_EQ(c->sample_rate, 0.25);
  EXPECT_EQ(Parse({"--monitor", "off"})->mode, MonitorMode::kOff);
}

TEST(MonitorFlagsTest, ErrorsNameTheFlag) {
  struct Case {
    std::vector<std::string> args;
    const char* flag;
  } cases[] = {
      {{"--monitor", "maybe"}, "--monitor:"},
      {{"--monitor-window-rows", "-1"}, "--monitor-window-rows:"},
      {{"--monitor-window-rows", "0"}, "--monitor-window-seconds"},
      {{"--monitor-alert-after", "0"}, "--monitor-alert-after:"},
      {{"--monitor-clear-after", "x"}, "--monitor-clear-after:"},
      {{"--monitor-sample-rate", "1.5"}, "--monitor-sample-rate:"},
      {{"--monitor-sample-rate", ""}, "--monitor-sample-rate:"},
  };
  for (const Case& c : cases) {
    auto parsed = Parse(c.args);
    ASSERT_FALSE(parsed.ok()) << c.args[0];
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(c.flag), std::string::npos)
        << parsed.status().message();
  }
}

}  // namespace
}  // namespace ferry::cli
