#include "store/sqlite/sqlite_like.h"

#include <gtest/gtest.h>

namespace ferry::store::sqlite {
namespace {

TEST(LikeMatchTest, Table) {
  struct {
    const char* value;
    const char* pattern;
    bool ci;
    bool want;
  } cases[] = {
      {"abc", "abc", false, true},
      {"abc", "ABC", false, false},
      {"abc", "ABC", true, true},
      {"abc", "a%", false, true},
      {"abc", "%c", false, true},
      {"abc", "%b%", false, true},
      {"abc", "%d%", false, false},
      {"abc", "a_c", false, true},
      {"abc", "a_", false, false},
      {"abc", "___", false, true},
      {"abc", "____", false, false},
      {"", "%", false, true},
      {"", "", false, true},
      {"", "_", false, false},
      {"a", "", false, false},
      {"aXbXc", "a%b%c", false, true},
      {"mississippi", "%iss%ppi", false, true},
      {"mississippi", "m%s%s%x", false, false},
      {"h\xc3\xa9llo", "h_llo", false, true},  // `_` is one UTF-8 character
      {"h\xc3\xa9llo", "h__llo", false, false},
      {"100%", "100%", false, true},
      {"a.b", "a.b", false, true},
      {"a*b", "a*b", false, true},
      {"axb", "a*b", false, false},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(LikeMatch(c.value, c.pattern, c.ci), c.want)
        << "'" << c.value << "' LIKE '" << c.pattern << "' ci=" << c.ci;
  }
}

}  // namespace
}  // namespace ferry::store::sqlite
