#include "store/sqlite/sqlite_like.h"

#include <algorithm>
#include <string>

#include "store/sqlite/sqlite_db.h"

namespace ferry::store::sqlite {
namespace {

char FoldAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// Length of the UTF-8 sequence starting at s[i] (1 for stray continuation bytes), clamped to
// the end of `s`.
size_t CharLength(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  return std::min(n, s.size() - i);
}

void LikeSqlFunction(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (sqlite3_value_type(argv[0]) == SQLITE_NULL || sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    sqlite3_result_null(ctx);
    return;
  }
  auto text = [](sqlite3_value* v) {
    const char* data = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return std::string_view(data ? data : "", static_cast<size_t>(sqlite3_value_bytes(v)));
  };
  // Read both texts before any further sqlite3_value_* call can convert them.
  std::string_view value = text(argv[0]);
  std::string_view pattern = text(argv[1]);
  bool ci = sqlite3_value_int(argv[2]) != 0;
  sqlite3_result_int(ctx, LikeMatch(value, pattern, ci) ? 1 : 0);
}

}  // namespace

// Iterative wildcard matching: on a mismatch, backtrack to just after the last `%` and let it
// absorb one more character. O(|value| * |pattern|) worst case, no recursion.
bool LikeMatch(std::string_view value, std::string_view pattern, bool case_insensitive) {
  auto same = [case_insensitive](char a, char b) {
    return case_insensitive ? FoldAscii(a) == FoldAscii(b) : a == b;
  };
  size_t v = 0, p = 0;
  size_t star_p = std::string_view::npos, star_v = 0;
  while (v < value.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star_p = ++p;
      star_v = v;
    } else if (p < pattern.size() && pattern[p] == '_') {
      v += CharLength(value, v);
      ++p;
    } else if (p < pattern.size() && same(pattern[p], value[v])) {
      ++v;
      ++p;
    } else if (star_p != std::string_view::npos) {
      star_v += CharLength(value, star_v);
      v = star_v;
      p = star_p;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

absl::Status RegisterLikeFunction(sqlite3* db) {
  int rc = sqlite3_create_function_v2(db, "ferry_like", 3,
                                      SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                      nullptr, LikeSqlFunction, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteStatus(rc, db, "register ferry_like");
  return absl::OkStatus();
}

}  // namespace ferry::store::sqlite
