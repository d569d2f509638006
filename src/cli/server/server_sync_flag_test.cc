// `ferry server --sync normal|full` reaches the server configuration; anything else is a
// usage error (exit 2) before the server starts. Likewise --tls-cert and --tls-key.

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

// --tls-cert and --tls-key come together (usage error otherwise) and reach the limits; the
// files are read later, by the server.
TEST(ServerTlsFlagsTest, BothOrNeither) {
  ServerConfig c;
  bool started = false;
  EXPECT_EQ(RunServer({"--tls-cert", "c.pem"}, &c, &started), 2);
  EXPECT_EQ(RunServer({"--tls-key", "k.pem"}, &c, &started), 2);
  EXPECT_FALSE(started);
  ASSERT_EQ(RunServer({"--tls-cert", "c.pem", "--tls-key", "k.pem"}, &c, &started), 0);
  EXPECT_EQ(c.limits.tls_cert_file, "c.pem");
  EXPECT_EQ(c.limits.tls_key_file, "k.pem");
}

}  // namespace
}  // namespace ferry::cli
