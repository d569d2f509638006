#include "auth/ttl_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace ferry::auth {
namespace {

TEST(TtlCacheTest, EntriesExpire) {
  TtlCache<std::string, int> cache(10);
  cache.Insert("a", 1, /*valid_until_ms=*/100, cache.generation());
  EXPECT_EQ(cache.Find("a", 99), 1);
  EXPECT_EQ(cache.Find("a", 100), std::nullopt);
  EXPECT_EQ(cache.Find("b", 0), std::nullopt);
}

TEST(TtlCacheTest, InsertAfterAnInvalidationIsDropped) {
  TtlCache<std::string, int> cache(10);
  uint64_t before = cache.generation();
  cache.EraseIf([](const std::string&, int) { return false; });  // something changed meanwhile
  cache.Insert("a", 1, 100, before);
  EXPECT_EQ(cache.Find("a", 0), std::nullopt);
  cache.Insert("a", 1, 100, cache.generation());
  EXPECT_EQ(cache.Find("a", 0), 1);
}

TEST(TtlCacheTest, EraseIfRemovesOnlyMatches) {
  TtlCache<std::string, int> cache(10);
  for (int i = 0; i < 4; ++i) cache.Insert(std::to_string(i), i, 100, cache.generation());
  cache.EraseIf([](const std::string&, int v) { return v % 2 == 0; });
  EXPECT_EQ(cache.Find("0", 0), std::nullopt);
  EXPECT_EQ(cache.Find("1", 0), 1);
  EXPECT_EQ(cache.size(), 2u);
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
}

TEST(TtlCacheTest, AFullCacheStartsOver) {
  TtlCache<int, int> cache(3);
  for (int i = 0; i < 3; ++i) cache.Insert(i, i, 100, cache.generation());
  cache.Insert(2, 20, 100, cache.generation());  // replacing keeps the others
  EXPECT_EQ(cache.size(), 3u);
  cache.Insert(3, 3, 100, cache.generation());
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_EQ(cache.Find(3, 0), 3);
}

}  // namespace
}  // namespace ferry::auth
