#include "core/registry_validation.h"

#include <string>

#include "core/registry_types.h"
#include "gtest/gtest.h"

namespace ferry {
namespace {

TEST(RegistryValidationTest, Aliases) {
  static const struct {
    const char* alias;
    bool ok;
    const char* message_part;
  } cases[] = {
      {"champion", true, ""},
      {"blue-green_2", true, ""},
      {"v1x", true, ""},
      {"", false, "cannot be empty"},
      {"latest", false, "'latest' alias name (case insensitive) is reserved."},
      {"LaTeSt", false, "is reserved"},
      {"v1", false, "Version alias name 'v1' is reserved."},
      {"V42", false, "is reserved"},
      {"a.b", false, "Names may only contain alphanumerics"},
      {"a b", false, "Invalid alias name: 'a b'"},
  };
  for (const auto& c : cases) {
    absl::Status s = ValidateModelAlias(c.alias);
    EXPECT_EQ(s.ok(), c.ok) << c.alias;
    if (!c.ok) {
      EXPECT_NE(std::string(s.message()).find(c.message_part), std::string::npos) << s;
    }
  }
  EXPECT_FALSE(ValidateModelAlias(std::string(256, 'a')).ok());
  EXPECT_TRUE(ValidateModelAlias(std::string(255, 'a')).ok());
}

TEST(RegistryValidationTest, VersionsAndNames) {
  EXPECT_EQ(*ParseModelVersionNumber("12"), 12);
  EXPECT_EQ(ParseModelVersionNumber("x").status().message(),
            "Parameter 'version' must be an integer, got 'x'.");
  EXPECT_EQ(ValidateModelName("").message(), "Missing value for required parameter 'name'.");
  EXPECT_TRUE(ValidateModelName("m").ok());
}

TEST(RegistryValidationTest, Tags) {
  EXPECT_TRUE(ValidateRegistryTag("k", "v").ok());
  EXPECT_FALSE(ValidateRegistryTag("a/../b", "v").ok());
  EXPECT_EQ(ValidateRegistryTag("k", std::string(5001, 'x')).message(),
            "'value' exceeds the maximum length of 5000 characters");
}

TEST(RegistryTypesTest, StagesParseCaseInsensitively) {
  EXPECT_EQ(*ParseModelStage("production"), ModelStage::kProduction);
  EXPECT_EQ(*ParseModelStage("STAGING"), ModelStage::kStaging);
  EXPECT_EQ(*ParseModelStage("none"), ModelStage::kNone);
  EXPECT_EQ(ParseModelStage("bogus").status().message(),
            "Invalid Model Version stage: bogus. Value must be one of None, Staging, "
            "Production, Archived.");
  EXPECT_EQ(ParseModelVersionStatus("READY"), ModelVersionStatus::kReady);
  EXPECT_FALSE(ParseModelVersionStatus("ready").has_value());
}

}  // namespace
}  // namespace ferry
