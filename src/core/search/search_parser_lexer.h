#pragma once
// Tokenizer for MLflow search filter and order_by strings. Internal to search_parser.cc.
//
// Token classes follow what sqlparse produces for MLflow (mlflow/utils/search_utils.py):
//   identifier  parts joined by '.', each part a bare word ([A-Za-z_$#0-9] and bytes >= 0x80;
//               the first part may not start with a digit), a `backtick` part or a
//               "double-quoted" part: metrics.acc, tags.mlflow.runName, metrics.`my metric`
//   string      'single-quoted' literal
//   number      -?(digits[.digits] | .digits)([eE][+-]?digits)?, e.g. 10, -1, 0.5, 1e-3
//   operator    = != <> == < <= > >=
//   keyword     a bare one-part identifier spelling AND, OR, NOT, IN, LIKE or ILIKE (any case)
//   ( ) ,       punctuation
// Quoted text is kept verbatim between the outer quotes: a doubled quote ('' "" ``) or a
// backslash escape (\' \" \\, not in backticks) only keeps the literal from ending, exactly as
// MLflow does (it strips the outer quotes and never unescapes).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry::internal {

enum class TokenKind {
  kIdentifier,
  kString,
  kNumber,
  kOperator,
  kKeyword,
  kLeftParen,
  kRightParen,
  kComma,
  kEnd,  // always the last token; `pos` is the input length
};

struct IdentifierPart {
  std::string text;   // unquoted, verbatim inner text
  char quote = '\0';  // '\0' for a bare word, else '`' or '"'
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string raw;   // the token exactly as written in the input
  size_t pos = 0;    // 0-based byte offset of the token in the input
  std::string text;  // kString: inner text; kKeyword/kOperator: upper-cased spelling
  std::vector<IdentifierPart> parts;  // kIdentifier only
};

// Splits `input` into tokens, skipping ASCII whitespace; the result always ends with a kEnd
// token. Returns kInvalidArgument naming the offending text and its position for an
// unterminated quote, a malformed number (e.g. "1abc"), a '.' without a following key part,
// or a character that starts no token.
absl::StatusOr<std::vector<Token>> Tokenize(std::string_view input);

// True if `token` is the keyword `word` (given in upper case).
bool IsKeyword(const Token& token, std::string_view word);

// Joins `pieces` with `separator`.
template <typename Range>
std::string Join(const Range& pieces, std::string_view separator) {
  std::string out;
  bool first = true;
  for (std::string_view piece : pieces) {
    if (!first) out.append(separator);
    out.append(piece);
    first = false;
  }
  return out;
}

// " at position <pos>": the suffix every parser error message ends with.
std::string AtPosition(const Token& token);

}  // namespace ferry::internal
