#include "core/validation.h"

#include "gtest/gtest.h"

namespace ferry {
namespace {

TEST(ValidationTest, EntityKeys) {
  static const struct {
    const char* key;
    bool ok;
  } cases[] = {
      {"acc", true},  {"a/b c.d-e_f", true}, {"ünïcode", true}, {"", false},
      {"a$b", false}, {"a//b", false},       {"../x", false},   {"/abs", false},
      {"./x", false}, {"a/", false},         {"a\\b", false},   {"x/./y", false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ValidateEntityKey("metric", c.key).ok(), c.ok) << c.key;
  }
  EXPECT_FALSE(ValidateEntityKey("param", std::string(251, 'a')).ok());
  EXPECT_TRUE(ValidateEntityKey("param", std::string(250, 'a')).ok());
}

TEST(ValidationTest, MessagesMatchMlflow) {
  auto s = ValidateEntityKey("metric", "a$b");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("Invalid metric name: 'a$b'"), std::string::npos);
  EXPECT_EQ(ValidateRunId("bad id").message(), "Invalid run ID: 'bad id'");
}

TEST(ValidationTest, Ids) {
  EXPECT_TRUE(ValidateRunId("0123456789abcdef0123456789abcdef").ok());
  EXPECT_FALSE(ValidateRunId("").ok());
  EXPECT_FALSE(ValidateRunId("-abc").ok());
  EXPECT_TRUE(ValidateExperimentId("0").ok());
  EXPECT_FALSE(ValidateExperimentId(std::string(65, '1')).ok());
}

TEST(ValidationTest, ArtifactPaths) {
  EXPECT_TRUE(ValidateArtifactPath("1/abc/artifacts/model.pkl").ok());
  EXPECT_TRUE(ValidateArtifactPath("").ok());
  EXPECT_FALSE(ValidateArtifactPath("../etc/passwd").ok());
  EXPECT_FALSE(ValidateArtifactPath("a/../../b").ok());
  EXPECT_FALSE(ValidateArtifactPath("/etc/passwd").ok());
  EXPECT_FALSE(ValidateArtifactPath(std::string("a\0b", 3)).ok());
  EXPECT_FALSE(ValidateArtifactPath("dir/\xFF\xFEname").ok());
  EXPECT_TRUE(ValidateArtifactPath("dir/caf\xC3\xA9.txt").ok());
}

TEST(ValidationTest, TruncateKeepsUtf8Whole) {
  EXPECT_EQ(TruncateUtf8("abcdef", 3), "abc");
  EXPECT_EQ(TruncateUtf8("ab\xc3\xa9", 3), "ab");  // é is two bytes
  EXPECT_EQ(TruncateUtf8("ab", 3), "ab");
}

TEST(ValidationTest, RunNameFromArgumentOrTag) {
  std::vector<RunTag> none;
  EXPECT_EQ(ResolveRunName("arg", none).value_or(""), "arg");
  EXPECT_EQ(none, (std::vector<RunTag>{{kRunNameTag, "arg"}}));  // the tag is filled in

  std::vector<RunTag> tagged = {{"other", "x"}, {kRunNameTag, "tag"}};
  EXPECT_EQ(ResolveRunName("", tagged).value_or(""), "tag");
  EXPECT_EQ(tagged.size(), 2u);
  EXPECT_EQ(ResolveRunName("tag", tagged).value_or(""), "tag");

  absl::StatusOr<std::string> clash = ResolveRunName("arg", tagged);
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(StatusMessage(clash.status()),
            "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different "
            "values (run_name='arg', mlflow.runName='tag').");

  std::vector<RunTag> empty;
  EXPECT_EQ(ResolveRunName("", empty).value_or("x"), "");
  EXPECT_TRUE(empty.empty());
}

}  // namespace
}  // namespace ferry

namespace ferry {
namespace {

// MLflow's validate_path_is_safe: decoded until stable, then checked.
TEST(ValidationTest, SafeRequestPath) {
  static const struct {
    const char* in;
    const char* out;  // nullptr: "Invalid path"
  } cases[] = {
      {"model/MLmodel", "model/MLmodel"},
      {"a%20b.txt", "a b.txt"},
      {"a%2520b.txt", "a b.txt"},
      {"%zz.txt", "%zz.txt"},
      {"../secret", nullptr},
      {"a/../../b", nullptr},
      {"%2e%2e/secret", nullptr},
      {"%252e%252e%252fsecret", nullptr},
      {"/etc/passwd", nullptr},
      {"%2Fetc%2Fpasswd", nullptr},
      {"file:///etc/passwd", nullptr},
      {"file://host/etc/passwd", nullptr},
      {"file:model/MLmodel", "model/MLmodel"},
      {"a#b", nullptr},
      {"a%23b", nullptr},
      {"C:/x", nullptr},
      {"a\\b", nullptr},
      {"a%00b", nullptr},
      {"a%0a%0d/b", "a/b"},
      {"%252525252525252525252525", nullptr},  // still changing after 10 rounds
      {"%252525252525252525", "%"},
  };
  for (const auto& c : cases) {
    auto got = SafeRequestPath(c.in);
    if (c.out == nullptr) {
      ASSERT_FALSE(got.ok()) << c.in;
      EXPECT_EQ(got.status().message(), "Invalid path") << c.in;
    } else {
      ASSERT_TRUE(got.ok()) << c.in << ": " << got.status();
      EXPECT_EQ(*got, c.out) << c.in;
    }
  }
}

}  // namespace
}  // namespace ferry
