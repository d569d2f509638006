#include "cli/flags.h"

#include "gtest/gtest.h"

namespace ferry::cli {
namespace {

FlagSet MakeFlags() {
  FlagSet f("ferry x", "test");
  f.String("port", "5000", "port");
  f.Repeated("param", "params");
  f.Bool("quiet", "quiet");
  return f;
}

TEST(FlagsTest, ParsesFormsAndDefaults) {
  FlagSet f = MakeFlags();
  ASSERT_TRUE(f.Parse({"--port=7", "pos", "--param", "a=1", "--param=b=2", "--quiet"}).ok());
  EXPECT_EQ(f.Get("port"), "7");
  EXPECT_EQ(f.GetAll("param"), (std::vector<std::string>{"a=1", "b=2"}));
  EXPECT_TRUE(f.GetBool("quiet"));
  EXPECT_EQ(f.positional(), std::vector<std::string>{"pos"});
  FlagSet g = MakeFlags();
  ASSERT_TRUE(g.Parse({}).ok());
  EXPECT_EQ(g.Get("port"), "5000");
  EXPECT_FALSE(g.GetBool("quiet"));
}

TEST(FlagsTest, IntegersInARange) {
  FlagSet f = MakeFlags();
  ASSERT_TRUE(f.Parse({"--port=7"}).ok());
  auto port = f.GetInt("port", 1, 65535);
  ASSERT_TRUE(port.ok());
  EXPECT_EQ(*port, 7);
  EXPECT_EQ(f.GetInt("port", 8, 9).status().message(),
            "--port: expected an integer in [8, 9], got '7'");
  ASSERT_TRUE(f.Parse({"--port=7x"}).ok());
  EXPECT_FALSE(f.GetInt("port", 0, 100).ok());
}

TEST(FlagsTest, ShortAliases) {
  FlagSet f = MakeFlags();
  f.Alias("p", "port");
  ASSERT_TRUE(f.Parse({"-p", "9", "-x"}).ok());
  EXPECT_EQ(f.Get("port"), "9");
  EXPECT_EQ(f.positional(), std::vector<std::string>{"-x"});
  EXPECT_NE(f.Help().find("  -p, --port VALUE"), std::string::npos) << f.Help();
}

TEST(FlagsTest, RestAfterDoubleDash) {
  FlagSet f = MakeFlags();
  ASSERT_TRUE(f.Parse({"--quiet", "--", "python3", "--port", "1"}).ok());
  EXPECT_EQ(f.rest(), (std::vector<std::string>{"python3", "--port", "1"}));
  EXPECT_EQ(f.Get("port"), "5000");
}

TEST(FlagsTest, Errors) {
  static const struct {
    std::vector<std::string> args;
    const char* message;
  } cases[] = {
      {{"--nope"}, "unknown flag --nope (see --help)"},
      {{"--port"}, "flag --port needs a value"},
      {{"--quiet=1"}, "flag --quiet takes no value"},
  };
  for (const auto& c : cases) {
    FlagSet f = MakeFlags();
    absl::Status s = f.Parse(c.args);
    EXPECT_EQ(s.message(), c.message);
  }
}

TEST(FlagsTest, HelpListsEveryFlag) {
  FlagSet f = MakeFlags();
  ASSERT_TRUE(f.Parse({"--help"}).ok());
  EXPECT_TRUE(f.help_requested());
  std::string help = f.Help();
  for (const char* name : {"--port VALUE", "--param VALUE", "--quiet", "(default: 5000)"}) {
    EXPECT_NE(help.find(name), std::string::npos) << name;
  }
}

TEST(FlagsTest, ParseCommandHandlesHelpUsageErrorsAndArgumentCounts) {
  FlagSet help = MakeFlags();
  EXPECT_EQ(help.ParseCommand("ferry x", {"pos", "--help"}, 3), kExitOk);
  FlagSet unknown = MakeFlags();
  EXPECT_EQ(unknown.ParseCommand("ferry x", {"--bogus"}), kExitUsage);
  FlagSet missing_value = MakeFlags();
  EXPECT_EQ(missing_value.ParseCommand("ferry x", {"--port"}), kExitUsage);
  FlagSet count = MakeFlags();
  EXPECT_EQ(count.ParseCommand("ferry x", {"a", "b"}, 1), kExitUsage);
  FlagSet ok = MakeFlags();
  EXPECT_EQ(ok.ParseCommand("ferry x", {"a", "--port", "1"}, 1), std::nullopt);
  EXPECT_EQ(ok.Get("port"), "1");
  FlagSet any = MakeFlags();
  EXPECT_EQ(any.ParseCommand("ferry x", {"a", "b", "c"}), std::nullopt);
}

}  // namespace
}  // namespace ferry::cli
