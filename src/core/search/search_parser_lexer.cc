#include "core/search/search_parser_lexer.h"

#include <array>
#include <optional>

#include "common/strings.h"

namespace ferry::internal {
namespace {

// ASCII classes only: the filter grammar is byte-oriented and must not depend on the locale.
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsWordChar(char c) {
  return IsAlpha(c) || IsDigit(c) || c == '_' || c == '$' || c == '#' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsWordStart(char c) { return IsWordChar(c) && !IsDigit(c) && c != '$' && c != '#'; }

std::string AsciiUpper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

constexpr std::array<std::string_view, 6> kKeywords = {"AND", "OR", "NOT", "IN", "LIKE", "ILIKE"};
// Longest spellings first so "<=" wins over "<".
constexpr std::array<std::string_view, 8> kOperators = {
    "!=", "<>", "<=", ">=", "==", "=", "<", ">"};

absl::Status LexError(std::string_view what, std::string_view text, size_t pos) {
  return absl::InvalidArgumentError(
      StrCat(what, " '", text, "' in search string at position ", std::to_string(pos)));
}

class Lexer {
 public:
  explicit Lexer(std::string_view input) : in_(input) {}

  absl::StatusOr<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < in_.size() && IsSpace(in_[pos_])) ++pos_;
      if (pos_ == in_.size()) break;
      ASSIGN_OR_RETURN(Token token, Next());
      tokens.push_back(std::move(token));
    }
    Token end;
    end.pos = in_.size();
    tokens.push_back(std::move(end));
    return tokens;
  }

 private:
  char At(size_t i) const { return i < in_.size() ? in_[i] : '\0'; }

  Token Make(TokenKind kind, size_t start) const {
    Token token;
    token.kind = kind;
    token.pos = start;
    token.raw = std::string(in_.substr(start, pos_ - start));
    return token;
  }

  bool StartsNumber() const {
    size_t i = pos_;
    if (At(i) == '-') ++i;
    return IsDigit(At(i)) || (At(i) == '.' && IsDigit(At(i + 1)));
  }

  // Dispatches on the first character of a token; pos_ is at a non-space character.
  absl::StatusOr<Token> Next() {
    char c = in_[pos_];
    if (c == '\'') return LexString();
    if (c == '`' || c == '"' || IsWordStart(c)) return LexIdentifier();
    if (StartsNumber()) return LexNumber();
    if (std::optional<Token> op = LexOperator()) return *std::move(op);
    size_t start = pos_++;
    if (c == '(') return Make(TokenKind::kLeftParen, start);
    if (c == ')') return Make(TokenKind::kRightParen, start);
    if (c == ',') return Make(TokenKind::kComma, start);
    return LexError("Unexpected character", in_.substr(start, 1), start);
  }

  // Advances pos_ past the quoted text starting at pos_ and returns its inner text verbatim.
  absl::StatusOr<std::string> SkipQuoted() {
    const size_t start = pos_;
    const char quote = in_[pos_++];
    while (pos_ < in_.size()) {
      char c = in_[pos_];
      if (c == '\\' && quote != '`' && pos_ + 1 < in_.size()) {
        pos_ += 2;
      } else if (c == quote && At(pos_ + 1) == quote) {
        pos_ += 2;
      } else if (c == quote) {
        ++pos_;
        return std::string(in_.substr(start + 1, pos_ - start - 2));
      } else {
        ++pos_;
      }
    }
    return LexError("Unterminated quoted text", in_.substr(start), start);
  }

  absl::StatusOr<Token> LexString() {
    const size_t start = pos_;
    ASSIGN_OR_RETURN(std::string inner, SkipQuoted());
    Token token = Make(TokenKind::kString, start);
    token.text = std::move(inner);
    return token;
  }

  absl::StatusOr<IdentifierPart> LexPart() {
    IdentifierPart part;
    char c = in_[pos_];
    if (c == '`' || c == '"') {
      part.quote = c;
      ASSIGN_OR_RETURN(part.text, SkipQuoted());
      return part;
    }
    const size_t start = pos_;
    while (pos_ < in_.size() && IsWordChar(in_[pos_])) ++pos_;
    part.text = std::string(in_.substr(start, pos_ - start));
    return part;
  }

  // One or more parts joined by '.', with no whitespace around the dots.
  absl::StatusOr<Token> LexIdentifier() {
    const size_t start = pos_;
    std::vector<IdentifierPart> parts;
    while (true) {
      ASSIGN_OR_RETURN(IdentifierPart part, LexPart());
      parts.push_back(std::move(part));
      if (At(pos_) != '.') break;
      char next = At(pos_ + 1);
      if (!IsWordChar(next) && next != '`' && next != '"') {
        ++pos_;
        return LexError("Expected a key after '.' in identifier", in_.substr(start, pos_ - start),
                        start);
      }
      ++pos_;
    }
    Token token = Make(TokenKind::kIdentifier, start);
    if (parts.size() == 1 && parts[0].quote == '\0') {
      std::string upper = AsciiUpper(parts[0].text);
      for (std::string_view keyword : kKeywords) {
        if (upper == keyword) {
          token.kind = TokenKind::kKeyword;
          token.text = std::move(upper);
          return token;
        }
      }
    }
    token.parts = std::move(parts);
    return token;
  }

  void SkipDigits() {
    while (IsDigit(At(pos_))) ++pos_;
  }

  absl::StatusOr<Token> LexNumber() {
    const size_t start = pos_;
    if (At(pos_) == '-') ++pos_;
    SkipDigits();
    if (At(pos_) == '.') {
      ++pos_;
      SkipDigits();
    }
    size_t exp = pos_;
    if (At(exp) == 'e' || At(exp) == 'E') {
      ++exp;
      if (At(exp) == '+' || At(exp) == '-') ++exp;
      if (IsDigit(At(exp))) {
        pos_ = exp;
        SkipDigits();
      }
    }
    if (IsWordChar(At(pos_)) || At(pos_) == '.') {
      while (IsWordChar(At(pos_)) || At(pos_) == '.') ++pos_;
      return LexError("Malformed number", in_.substr(start, pos_ - start), start);
    }
    return Make(TokenKind::kNumber, start);
  }

  std::optional<Token> LexOperator() {
    for (std::string_view op : kOperators) {
      if (in_.substr(pos_, op.size()) == op) {
        const size_t start = pos_;
        pos_ += op.size();
        Token token = Make(TokenKind::kOperator, start);
        token.text = std::string(op);
        return token;
      }
    }
    return std::nullopt;
  }

  std::string_view in_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::vector<Token>> Tokenize(std::string_view input) { return Lexer(input).Run(); }

bool IsKeyword(const Token& token, std::string_view word) {
  return token.kind == TokenKind::kKeyword && token.text == word;
}

std::string AtPosition(const Token& token) {
  return StrCat(" at position ", std::to_string(token.pos));
}

}  // namespace ferry::internal
