#include "common/dynamic_library.h"

#include <gtest/gtest.h>

#include <cstring>

namespace ferry {
namespace {

TEST(DynamicLibraryTest, ResolvesFunctionsOfALibraryThatIsThere) {
  DynamicLibrary libc("libc.so.6", "apt-get install libc6");
  ASSERT_TRUE(libc.loaded()) << libc.error();
  auto* strlen_fn = libc.Resolve<decltype(std::strlen)>("strlen");
  ASSERT_NE(strlen_fn, nullptr);
  EXPECT_EQ(strlen_fn("ferry"), 5u);
  EXPECT_EQ(libc.Symbol("no_such_function_in_libc"), nullptr);
}

TEST(DynamicLibraryTest, AMissingLibrarySaysWhatToInstall) {
  DynamicLibrary missing("libferry-missing.so.9", "apt-get install ferry-missing");
  EXPECT_FALSE(missing.loaded());
  EXPECT_EQ(missing.Symbol("anything"), nullptr);
  EXPECT_NE(missing.error().find("cannot load libferry-missing.so.9 ("), std::string::npos)
      << missing.error();
  EXPECT_NE(missing.error().find("install it with `apt-get install ferry-missing`"),
            std::string::npos);
}

}  // namespace
}  // namespace ferry
