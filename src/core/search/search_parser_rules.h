#pragma once
// Semantic rules of the MLflow search grammar (mlflow/utils/search_utils.py, 2.12): which
// entities and attribute keys a search (runs, experiments, registered models, model versions)
// accepts, which operators each key allows, and how a
// value token is typed. Internal to search_parser.cc. Every error is kInvalidArgument and ends
// with " at position <n>" naming the offending token's 0-based offset.

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "core/search/search.h"
#include "core/search/search_keys.h"
#include "core/search/search_parser_lexer.h"

namespace ferry::internal {

using Usage = SearchUsage;

// The left-hand side of a comparison or an order_by item, resolved.
struct ResolvedKey {
  SearchKind kind = SearchKind::kRuns;
  SearchEntity entity = SearchEntity::kAttribute;
  std::string key;          // canonical: aliases such as `created` become start_time
  std::string written_key;  // as written (unquoted), for error messages
  bool numeric = false;     // metrics and numeric attributes take numbers, others strings
  bool list_ok = false;     // IN / NOT IN allowed (run_id and dataset keys)
};

// Resolves an identifier token. Errors name the token: invalid entity type (entity prefixes are
// case-sensitive, as in MLflow), invalid attribute key, invalid dataset key, empty key, or an
// entity that cannot be used for ordering.
absl::StatusOr<ResolvedKey> ResolveIdentifier(const Token& ident, SearchKind kind, Usage usage);

// The text of a string literal: 'single-quoted', or "double-quoted" (which the lexer reads as a
// one-part identifier, as sqlparse does). nullopt for any other token.
std::optional<std::string> StringLiteral(const Token& token);

// Types a scalar value token (number, 'string', "string" or a bare identifier) for `key`.
// Numeric keys take numbers only; string keys take quoted strings only. Numbers keep their
// literal in SearchValue::text as well.
absl::StatusOr<SearchValue> TypeScalarValue(const ResolvedKey& key, const Token& value);

// Maps `op_text` ("=", "LIKE", "NOT IN", ...) to a CompareOp if `key` allows it. `op_token`
// is named in the error.
absl::StatusOr<CompareOp> CheckOperator(const ResolvedKey& key, std::string_view op_text,
                                        const Token& op_token);

}  // namespace ferry::internal
