#include "core/search/search_parser.h"

#include <optional>
#include <string>
#include <utility>

#include "common/strings.h"
#include "core/search/search_parser_lexer.h"
#include "core/search/search_parser_rules.h"

namespace ferry {
namespace {

using internal::AtPosition;
using internal::IsKeyword;
using internal::ResolvedKey;
using internal::Token;
using internal::TokenKind;
using internal::Usage;

absl::Status InvalidClause(const Token& token) {
  return absl::InvalidArgumentError(
      StrCat("Invalid clause(s) in filter string: '", token.raw, "'", AtPosition(token)));
}

absl::Status ListError(std::string_view what, const Token& token) {
  return absl::InvalidArgumentError(
      StrCat("While parsing a list in the query, expected ", what, AtPosition(token)));
}

// Reads tokens front to back. The token list always ends with kEnd, which Next() never passes,
// so every reference stays valid.
class TokenCursor {
 public:
  explicit TokenCursor(const std::vector<Token>& tokens) : tokens_(tokens) {}

  const Token& Peek() const { return tokens_[index_]; }
  bool AtEnd() const { return Peek().kind == TokenKind::kEnd; }
  const Token& Next() {
    const Token& token = tokens_[index_];
    if (token.kind != TokenKind::kEnd) ++index_;
    return token;
  }

 private:
  const std::vector<Token>& tokens_;
  size_t index_ = 0;
};

struct OperatorToken {
  std::string_view text;  // "=", "LIKE", "NOT IN", ...; refers to the token or a literal
  const Token* token = nullptr;
};

// Parses `<identifier> <op> <value> [AND ...]`. Grammar errors ("Invalid clause(s)") are
// reported before semantic ones, the way MLflow first groups tokens with sqlparse.
class FilterParser {
 public:
  FilterParser(const std::vector<Token>& tokens, SearchKind kind) : cursor_(tokens), kind_(kind) {}

  absl::StatusOr<std::vector<Comparison>> Parse() {
    std::vector<Comparison> out;
    if (cursor_.AtEnd()) return out;
    while (true) {
      // Stops at the first comparison over the limit: a huge filter costs no more than that.
      if (out.size() == kMaxFilterClauses) {
        return absl::InvalidArgumentError(
            StrCat("Invalid filter string: comparison ", std::to_string(kMaxFilterClauses + 1),
                   " is over the limit of ", std::to_string(kMaxFilterClauses),
                   AtPosition(cursor_.Peek())));
      }
      ASSIGN_OR_RETURN(Comparison comparison, ParseComparison());
      out.push_back(std::move(comparison));
      if (cursor_.AtEnd()) return out;
      const Token& separator = cursor_.Next();
      if (!IsKeyword(separator, "AND") || cursor_.AtEnd()) return InvalidClause(separator);
    }
  }

 private:
  absl::StatusOr<Comparison> ParseComparison() {
    const Token& ident = cursor_.Next();
    if (ident.kind != TokenKind::kIdentifier) return InvalidClause(ident);
    ASSIGN_OR_RETURN(OperatorToken op, ParseOperator(ident));
    const bool is_list = op.text == "IN" || op.text == "NOT IN";
    const Token& value = cursor_.Next();
    if (is_list && value.kind != TokenKind::kLeftParen) return InvalidValue(value, *op.token);
    if (!is_list && !IsScalar(value)) return InvalidValue(value, *op.token);

    Comparison out;
    ASSIGN_OR_RETURN(ResolvedKey key, internal::ResolveIdentifier(ident, kind_, Usage::kFilter));
    out.entity = key.entity;
    out.key = key.key;
    if (is_list) {
      ASSIGN_OR_RETURN(out.op, internal::CheckOperator(key, op.text, *op.token));
      ASSIGN_OR_RETURN(out.value, ParseListItems(value));
    } else {
      ASSIGN_OR_RETURN(out.value, internal::TypeScalarValue(key, value));
      ASSIGN_OR_RETURN(out.op, internal::CheckOperator(key, op.text, *op.token));
    }
    return out;
  }

  static bool IsScalar(const Token& token) {
    return token.kind == TokenKind::kString || token.kind == TokenKind::kNumber ||
           token.kind == TokenKind::kIdentifier;
  }

  // A missing value is blamed on the operator before it.
  static absl::Status InvalidValue(const Token& value, const Token& op) {
    return InvalidClause(value.kind == TokenKind::kEnd ? op : value);
  }

  // Comparison symbols, LIKE, ILIKE, IN and NOT IN.
  absl::StatusOr<OperatorToken> ParseOperator(const Token& ident) {
    const Token& token = cursor_.Next();
    if (token.kind == TokenKind::kOperator || IsKeyword(token, "LIKE") ||
        IsKeyword(token, "ILIKE") || IsKeyword(token, "IN")) {
      return OperatorToken{token.text, &token};
    }
    if (IsKeyword(token, "NOT") && IsKeyword(cursor_.Peek(), "IN")) {
      cursor_.Next();
      return OperatorToken{"NOT IN", &token};
    }
    return InvalidClause(token.kind == TokenKind::kEnd ? ident : token);
  }

  // `open` is the consumed '('; reads `'a', "b", ...)`.
  absl::StatusOr<SearchValue> ParseListItems(const Token& open) {
    SearchValue out;
    if (cursor_.Peek().kind == TokenKind::kRightParen) {
      return ListError("a non-empty list of string values, but got empty list", open);
    }
    while (true) {
      const Token& item = cursor_.Next();
      std::optional<std::string> text = internal::StringLiteral(item);
      if (!text) return ListItemError(item, open);
      out.list.push_back(*std::move(text));
      const Token& separator = cursor_.Next();
      if (separator.kind == TokenKind::kRightParen) return out;
      if (separator.kind != TokenKind::kComma) return IllFormedList(separator, open);
    }
  }

  static absl::Status ListItemError(const Token& item, const Token& open) {
    if (item.kind == TokenKind::kEnd) return IllFormedList(item, open);
    return ListError(StrCat("string value, punctuation, or whitespace, but got different "
                            "type in list: '",
                            item.raw, "'"),
                     item);
  }

  static absl::Status IllFormedList(const Token& token, const Token& open) {
    if (token.kind == TokenKind::kEnd) {
      return ListError(
          "a non-empty list of string values, but got ill-formed list: "
          "'(' is never closed",
          open);
    }
    return ListError(
        StrCat("a non-empty list of string values, but got ill-formed list: '", token.raw, "'"),
        token);
  }

  TokenCursor cursor_;
  SearchKind kind_;
};

absl::StatusOr<std::vector<Comparison>> ParseFilter(std::string_view filter, SearchKind kind) {
  if (filter.size() > kMaxFilterBytes) {
    return absl::InvalidArgumentError(StrCat(
        "Invalid filter string: ", std::to_string(filter.size()), " bytes, over the limit of ",
        std::to_string(kMaxFilterBytes), " at position ", std::to_string(kMaxFilterBytes)));
  }
  ASSIGN_OR_RETURN(std::vector<Token> tokens, internal::Tokenize(filter));
  return FilterParser(tokens, kind).Parse();
}

absl::Status OrderByError(std::string_view item, std::string_view what, const Token& token) {
  return absl::InvalidArgumentError(
      StrCat("Invalid order_by clause '", item, "'. ", what, AtPosition(token)));
}

struct ParsedOrderBy {
  OrderBy order_by;
  size_t pos = 0;  // of the identifier within its item
};

bool IsDirection(const Token& token, std::string_view* direction) {
  if (token.kind != TokenKind::kIdentifier || token.parts.size() != 1 ||
      token.parts[0].quote != '\0') {
    return false;
  }
  *direction = token.parts[0].text;
  return true;
}

// One item: `<identifier> [ASC|DESC]` (direction in any case, default ascending).
absl::StatusOr<ParsedOrderBy> ParseOrderByItem(std::string_view item, SearchKind kind) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, internal::Tokenize(item));
  const Token& ident = tokens[0];
  if (ident.kind == TokenKind::kEnd) return OrderByError(item, "The clause is empty", ident);
  if (ident.kind != TokenKind::kIdentifier) {
    return OrderByError(item, StrCat("Could not be parsed: '", ident.raw, "'"), ident);
  }
  ParsedOrderBy out;
  out.pos = ident.pos;
  size_t next = 1;
  std::string_view direction;
  if (IsDirection(tokens[1], &direction)) {
    bool asc = EqualsIgnoreCase(direction, "asc");
    if (!asc && !EqualsIgnoreCase(direction, "desc")) {
      return OrderByError(item, StrCat("Invalid ordering key '", direction, "'"), tokens[1]);
    }
    out.order_by.ascending = asc;
    next = 2;
  }
  if (tokens[next].kind != TokenKind::kEnd) {
    return OrderByError(item, StrCat("Could not be parsed: '", tokens[next].raw, "'"),
                        tokens[next]);
  }
  ASSIGN_OR_RETURN(ResolvedKey key, internal::ResolveIdentifier(ident, kind, Usage::kOrderBy));
  out.order_by.entity = key.entity;
  out.order_by.key = key.key;
  return out;
}

// Parses every item and rejects a field named twice (after aliases are resolved, so `created`
// and `start_time` collide), whatever the directions.
absl::StatusOr<std::vector<OrderBy>> ParseOrderBy(const std::vector<std::string>& items,
                                                  SearchKind kind) {
  std::vector<OrderBy> out;
  for (const std::string& item : items) {
    ASSIGN_OR_RETURN(ParsedOrderBy parsed, ParseOrderByItem(item, kind));
    for (const OrderBy& seen : out) {
      if (seen.entity == parsed.order_by.entity && seen.key == parsed.order_by.key) {
        return absl::InvalidArgumentError(StrCat("`order_by` contains duplicate fields: '", item,
                                                 "' at position ", std::to_string(parsed.pos)));
      }
    }
    out.push_back(std::move(parsed.order_by));
  }
  return out;
}

}  // namespace

absl::StatusOr<std::vector<Comparison>> ParseRunFilter(std::string_view filter) {
  return ParseFilter(filter, SearchKind::kRuns);
}

absl::StatusOr<std::vector<OrderBy>> ParseRunOrderBy(const std::vector<std::string>& order_by) {
  return ParseOrderBy(order_by, SearchKind::kRuns);
}

absl::StatusOr<std::vector<Comparison>> ParseExperimentFilter(std::string_view filter) {
  return ParseFilter(filter, SearchKind::kExperiments);
}

absl::StatusOr<std::vector<OrderBy>> ParseExperimentOrderBy(
    const std::vector<std::string>& order_by) {
  return ParseOrderBy(order_by, SearchKind::kExperiments);
}

absl::StatusOr<std::vector<Comparison>> ParseRegisteredModelFilter(std::string_view filter) {
  return ParseFilter(filter, SearchKind::kRegisteredModels);
}

absl::StatusOr<std::vector<OrderBy>> ParseRegisteredModelOrderBy(
    const std::vector<std::string>& order_by) {
  return ParseOrderBy(order_by, SearchKind::kRegisteredModels);
}

absl::StatusOr<std::vector<Comparison>> ParseModelVersionFilter(std::string_view filter) {
  return ParseFilter(filter, SearchKind::kModelVersions);
}

absl::StatusOr<std::vector<OrderBy>> ParseModelVersionOrderBy(
    const std::vector<std::string>& order_by) {
  return ParseOrderBy(order_by, SearchKind::kModelVersions);
}

}  // namespace ferry
