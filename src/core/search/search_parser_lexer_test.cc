#include "core/search/search_parser_lexer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ferry::internal {
namespace {

// Renders tokens as "kind:raw" for compact expectations. Kinds: I identifier, S string,
// N number, O operator, K keyword, ( ) , punctuation.
std::string Render(const std::vector<Token>& tokens) {
  std::string out;
  for (const Token& t : tokens) {
    if (t.kind == TokenKind::kEnd) break;
    if (!out.empty()) out += ' ';
    switch (t.kind) {
      case TokenKind::kIdentifier:
        out += "I:";
        break;
      case TokenKind::kString:
        out += "S:";
        break;
      case TokenKind::kNumber:
        out += "N:";
        break;
      case TokenKind::kOperator:
        out += "O:";
        break;
      case TokenKind::kKeyword:
        out += "K:";
        break;
      default:
        break;
    }
    out += t.raw;
  }
  return out;
}

TEST(SearchLexerTest, TokenSequences) {
  static const struct {
    const char* input;
    const char* expected;
  } cases[] = {
      {"", ""},
      {"  \t\n ", ""},
      {"metrics.acc>0.9", "I:metrics.acc O:> N:0.9"},
      {"a = 1 and b != 'x'", "I:a O:= N:1 K:and I:b O:!= S:'x'"},
      {"x <> 1 AnD y <= -2 AND z >= 1e-3",
       "I:x O:<> N:1 K:AnD I:y O:<= N:-2 K:AND I:z O:>= N:1e-3"},
      {"x == .5", "I:x O:== N:.5"},
      {"x = 1.5E+10", "I:x O:= N:1.5E+10"},
      {"x = -.25", "I:x O:= N:-.25"},
      {"run_id NOT IN ('a','b')", "I:run_id K:NOT K:IN ( S:'a' , S:'b' )"},
      {"tags.x like '%a' or tags.y ilike 'b'",
       "I:tags.x K:like S:'%a' K:or I:tags.y K:ilike S:'b'"},
      {"metrics.`my metric` < 1", "I:metrics.`my metric` O:< N:1"},
      {"tags.\"my.tag\" = \"v\"", "I:tags.\"my.tag\" O:= I:\"v\""},
      {"tags.mlflow.runName = 'r'", "I:tags.mlflow.runName O:= S:'r'"},
      {"metrics.1st = 1", "I:metrics.1st O:= N:1"},
      {"t = 'it''s' AND u = 'a\\'b'", "I:t O:= S:'it''s' K:AND I:u O:= S:'a\\'b'"},
      {"tags.é = 'ü'", "I:tags.é O:= S:'ü'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    absl::StatusOr<std::vector<Token>> tokens = Tokenize(c.input);
    ASSERT_TRUE(tokens.ok()) << tokens.status();
    EXPECT_EQ(Render(*tokens), c.expected);
    EXPECT_EQ(tokens->back().kind, TokenKind::kEnd);
    EXPECT_EQ(tokens->back().pos, std::string(c.input).size());
  }
}

TEST(SearchLexerTest, PartsPositionsAndInnerText) {
  absl::StatusOr<std::vector<Token>> tokens = Tokenize("  `metrics`.\"a b\".c = 'x''y'");
  ASSERT_TRUE(tokens.ok()) << tokens.status();
  const Token& ident = (*tokens)[0];
  EXPECT_EQ(ident.pos, 2u);
  ASSERT_EQ(ident.parts.size(), 3u);
  EXPECT_EQ(ident.parts[0].text, "metrics");
  EXPECT_EQ(ident.parts[0].quote, '`');
  EXPECT_EQ(ident.parts[1].text, "a b");
  EXPECT_EQ(ident.parts[1].quote, '"');
  EXPECT_EQ(ident.parts[2].text, "c");
  EXPECT_EQ(ident.parts[2].quote, '\0');
  const Token& str = (*tokens)[2];
  EXPECT_EQ(str.pos, 22u);
  EXPECT_EQ(str.text, "x''y");  // verbatim, as MLflow
  EXPECT_TRUE(IsKeyword(*Tokenize("nOt")->begin(), "NOT"));
  EXPECT_FALSE(IsKeyword(*Tokenize("`not`")->begin(), "NOT"));
}

TEST(SearchLexerTest, Errors) {
  static const struct {
    const char* input;
    const char* message;
  } cases[] = {
      {"a = 'abc", "Unterminated quoted text ''abc' in search string at position 4"},
      {"tags.\"x = 1", "Unterminated quoted text '\"x = 1' in search string at position 5"},
      {"metrics.`a = 1", "Unterminated quoted text '`a = 1' in search string at position 8"},
      {"a = 1abc", "Malformed number '1abc' in search string at position 4"},
      {"a = 1.2.3", "Malformed number '1.2.3' in search string at position 4"},
      {"a @ 1", "Unexpected character '@' in search string at position 2"},
      {"a = !1", "Unexpected character '!' in search string at position 4"},
      {"a = -x", "Unexpected character '-' in search string at position 4"},
      {"metrics. = 1",
       "Expected a key after '.' in identifier 'metrics.' in search string at "
       "position 0"},
      {"a = 'x' AND tags.",
       "Expected a key after '.' in identifier 'tags.' in search string at "
       "position 12"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.input);
    absl::StatusOr<std::vector<Token>> tokens = Tokenize(c.input);
    ASSERT_FALSE(tokens.ok());
    EXPECT_EQ(tokens.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(std::string(tokens.status().message()), c.message);
  }
}

}  // namespace
}  // namespace ferry::internal
