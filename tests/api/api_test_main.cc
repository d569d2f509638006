// Runs one tests/api/*.test file against a fresh in-process Ferry.
// Usage: api_test FILE.test

#include <cstdio>
#include <map>

#include "api/api_script.h"
#include "common/fs.h"
#include "gtest/gtest.h"
#include "integration/test_server.h"

namespace ferry::testing {
namespace {

std::string g_script_path;

TEST(ApiScript, Run) {
  auto text = ReadFile(g_script_path);
  ASSERT_TRUE(text.ok()) << text.status();
  auto steps = ParseApiScript(*text);
  ASSERT_TRUE(steps.ok()) << steps.status();
  ASSERT_FALSE(steps->empty());
  TestServer server;
  std::map<std::string, std::string> vars;
  for (const ApiStep& step : *steps) {
    std::string where = g_script_path + ":" + std::to_string(step.line);
    std::string target = Substitute(step.target, vars);
    auto resp =
        server.client().Send(step.method, target, Substitute(step.body, vars), step.content_type);
    ASSERT_TRUE(resp.ok()) << where << ": " << resp.status();
    EXPECT_EQ(resp->status, step.expect_status)
        << where << ": " << step.method << " " << target << " answered " << resp->body;
    if (step.expect_body.empty()) continue;
    std::string expected = Substitute(step.expect_body, vars);
    if (expected[0] != '{' && expected[0] != '[') {
      EXPECT_EQ(resp->body, expected) << where;
      continue;
    }
    auto want = ParseJson(expected);
    ASSERT_TRUE(want.ok()) << where << ": bad expected JSON: " << want.status();
    auto got = ParseJson(resp->body);
    ASSERT_TRUE(got.ok()) << where << ": response is not JSON: " << resp->body;
    absl::Status match = MatchJson(*want, *got, "", vars);
    EXPECT_TRUE(match.ok()) << where << ": " << step.method << " " << target << "\n  "
                            << match.message() << "\n  response: " << resp->body;
  }
}

}  // namespace
}  // namespace ferry::testing

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc != 2) {
    std::fprintf(stderr, "usage: api_test FILE.test\n");
    return 2;
  }
  ferry::testing::g_script_path = argv[1];
  return RUN_ALL_TESTS();
}
