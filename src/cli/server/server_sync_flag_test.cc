// `ferry server --sync normal|full` reaches the server configuration; anything else is a
// usage error (exit 2) before the server starts.

#include <string>
#include <vector>

#include "cli/cli.h"
#include "gtest/gtest.h"

namespace ferry::cli {
namespace {

// Runs `ferry server ARGS...`; returns the exit code and the config the server would get.
int RunServer(std::vector<std::string> args, ServerConfig* seen, bool* started) {
  args.insert(args.begin(), {"ferry", "server"});
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  Hooks hooks;
  hooks.run_server = [&](const ServerConfig& c) {
    *seen = c;
    *started = true;
    return 0;
  };
  return Main(static_cast<int>(argv.size()), argv.data(), hooks);
}

TEST(ServerSyncFlagTest, DefaultIsNormalAndFullIsPassedOn) {
  ServerConfig c;
  bool started = false;
  ASSERT_EQ(RunServer({}, &c, &started), 0);
  EXPECT_TRUE(started);
  EXPECT_FALSE(c.sync_full);
  ASSERT_EQ(RunServer({"--sync", "full"}, &c, &started), 0);
  EXPECT_TRUE(c.sync_full);
  ASSERT_EQ(RunServer({"--sync=normal"}, &c, &started), 0);
  EXPECT_FALSE(c.sync_full);
}

TEST(ServerSyncFlagTest, OtherValuesAreUsageErrors) {
  ServerConfig c;
  bool started = false;
  EXPECT_EQ(RunServer({"--sync", "off"}, &c, &started), 2);
  EXPECT_FALSE(started);
}

}  // namespace
}  // namespace ferry::cli
