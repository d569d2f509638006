#include "cli/sub_commands.h"

#include <gtest/gtest.h>

namespace ferry::cli {
namespace {

std::vector<std::string> got;
int Record(const std::vector<std::string>& args) {
  got = args;
  return 7;
}

constexpr SubCommand kCommands[] = {{"go", "goes", Record}};

TEST(DispatchSubCommand, RunsTheNamedCommandWithTheRest) {
  got.clear();
  EXPECT_EQ(DispatchSubCommand("g", "About.", kCommands, {"go", "-x", "y"}), 7);
  EXPECT_EQ(got, (std::vector<std::string>{"-x", "y"}));
}

TEST(DispatchSubCommand, HelpIsZeroNoneOrUnknownIsAUsageError) {
  got = {"untouched"};
  EXPECT_EQ(DispatchSubCommand("g", "About.", kCommands, {"--help"}), 0);
  EXPECT_EQ(DispatchSubCommand("g", "About.", kCommands, {"help"}), 0);
  EXPECT_EQ(DispatchSubCommand("g", "About.", kCommands, {}), 2);
  EXPECT_EQ(DispatchSubCommand("g", "About.", kCommands, {"gone"}), 2);
  EXPECT_EQ(got, std::vector<std::string>{"untouched"});
}

}  // namespace
}  // namespace ferry::cli
