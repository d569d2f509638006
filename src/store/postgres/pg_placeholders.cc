#include "store/postgres/pg_placeholders.h"

#include <algorithm>
#include <cctype>

namespace ferry::store::postgres {
namespace {

bool IsIdentChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// The end (one past) of the quoted run starting at `i` (sql[i] == quote); `backslash`: a
// backslash escapes the next character (E'...'). A doubled quote stays inside.
size_t SkipQuoted(std::string_view sql, size_t i, char quote, bool backslash) {
  for (++i; i < sql.size(); ++i) {
    if (backslash && sql[i] == '\\') {
      ++i;
    } else if (sql[i] == quote) {
      if (i + 1 < sql.size() && sql[i + 1] == quote) {
        ++i;
      } else {
        return i + 1;
      }
    }
  }
  return sql.size();
}

// A dollar-quote tag ($$ or $tag$) starting at `i`, or empty when `$` does not open one
// (a positional parameter $1 or part of an identifier).
std::string_view DollarTag(std::string_view sql, size_t i) {
  size_t j = i + 1;
  if (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) return {};
  while (j < sql.size() && IsIdentChar(sql[j])) ++j;
  if (j < sql.size() && sql[j] == '$') return sql.substr(i, j - i + 1);
  return {};
}

}  // namespace

TranslatedSql TranslatePlaceholders(std::string_view sql) {
  TranslatedSql out;
  out.sql.reserve(sql.size() + 16);
  size_t i = 0;
  while (i < sql.size()) {
    char c = sql[i];
    size_t end = i + 1;
    if (c == '\'') {
      bool escape =
          i > 0 && (sql[i - 1] == 'E' || sql[i - 1] == 'e') && (i < 2 || !IsIdentChar(sql[i - 2]));
      end = SkipQuoted(sql, i, '\'', escape);
    } else if (c == '"') {
      end = SkipQuoted(sql, i, '"', false);
    } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
      end = sql.find('\n', i);
      end = end == std::string_view::npos ? sql.size() : end;
    } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
      end = sql.find("*/", i + 2);
      end = end == std::string_view::npos ? sql.size() : end + 2;
    } else if (c == '$' && (i == 0 || !IsIdentChar(sql[i - 1]))) {
      std::string_view tag = DollarTag(sql, i);
      if (!tag.empty()) {
        end = sql.find(tag, i + tag.size());
        end = end == std::string_view::npos ? sql.size() : end + tag.size();
      }
    } else if (c == '?') {
      size_t j = i + 1;
      int number = 0;
      while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) {
        number = number * 10 + (sql[j] - '0');
        ++j;
      }
      if (j == i + 1) number = out.params + 1;
      out.params = std::max(out.params, number);
      out.sql += '$';
      out.sql += std::to_string(number);
      i = j;
      continue;
    }
    out.sql.append(sql.substr(i, end - i));
    i = end;
  }
  return out;
}

}  // namespace ferry::store::postgres
