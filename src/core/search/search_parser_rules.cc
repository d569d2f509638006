#include "core/search/search_parser_rules.h"

#include <cmath>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/strings.h"

namespace ferry::internal {
namespace {

struct EntityAlias {
  std::string_view name;
  SearchEntity entity;
};

// Runs accept every MLflow entity prefix; experiments only "attribute", "tag" and "tags".
constexpr EntityAlias kRunEntities[] = {
    {"metric", SearchEntity::kMetric},
    {"metrics", SearchEntity::kMetric},
    {"parameter", SearchEntity::kParam},
    {"parameters", SearchEntity::kParam},
    {"param", SearchEntity::kParam},
    {"params", SearchEntity::kParam},
    {"tag", SearchEntity::kTag},
    {"tags", SearchEntity::kTag},
    {"attribute", SearchEntity::kAttribute},
    {"attributes", SearchEntity::kAttribute},
    {"attr", SearchEntity::kAttribute},
    {"run", SearchEntity::kAttribute},
    {"dataset", SearchEntity::kDataset},
    {"datasets", SearchEntity::kDataset},
};
constexpr EntityAlias kExperimentEntities[] = {
    {"attribute", SearchEntity::kAttribute},
    {"tag", SearchEntity::kTag},
    {"tags", SearchEntity::kTag},
};

constexpr std::string_view kNumericOps[] = {"=", "!=", ">", ">=", "<", "<="};
constexpr std::string_view kStringOps[] = {"=", "!=", "LIKE", "ILIKE"};
constexpr std::string_view kListStringOps[] = {"=", "!=", "LIKE", "ILIKE", "IN", "NOT IN"};

absl::Status ErrorAt(const Token& token, std::string_view message) {
  return absl::InvalidArgumentError(StrCat(message, AtPosition(token)));
}

absl::StatusOr<SearchEntity> ResolveEntity(const Token& ident, std::string_view name,
                                           SearchKind kind) {
  std::span<const EntityAlias> aliases = kRunEntities;
  if (kind != SearchKind::kRuns) aliases = kExperimentEntities;
  for (const EntityAlias& alias : aliases) {
    if (alias.name == name) return alias.entity;
  }
  if (kind != SearchKind::kRuns) {
    return ErrorAt(ident, StrCat("Invalid entity type '", name,
                                 "'. Valid entity types are ('attribute', 'tag', 'tags')"));
  }
  return ErrorAt(ident, StrCat("Invalid entity type '", name, "'. Valid values are ",
                               QuotedNameList(std::vector<std::string_view>{
                                   "metric", "parameter", "tag", "attribute", "dataset"})));
}

absl::Status ResolveAttribute(const Token& ident, SearchKind kind, Usage usage, ResolvedKey& out) {
  const SearchableAttribute* spec = FindSearchableAttribute(kind, usage, out.written_key);
  if (spec == nullptr) {
    return ErrorAt(ident, InvalidAttributeKeyMessage(out.written_key, kind, usage));
  }
  out.key = std::string(spec->canonical);
  out.numeric = spec->numeric;
  out.list_ok = spec->list_ok;
  return absl::OkStatus();
}

absl::Status ResolveDataset(const Token& ident, ResolvedKey& out) {
  if (!IsDatasetSearchKey(out.written_key)) {
    return ErrorAt(ident, InvalidDatasetKeyMessage(out.written_key));
  }
  out.list_ok = true;
  return absl::OkStatus();
}

// Entities that exist in the filter grammar but cannot order results.
absl::Status CheckOrderable(const Token& ident, SearchKind kind, SearchEntity entity) {
  if (kind != SearchKind::kRuns && entity != SearchEntity::kAttribute) {
    return ErrorAt(ident, "Invalid order_by entity: tag");
  }
  if (entity == SearchEntity::kDataset) {
    return ErrorAt(ident, "Invalid order_by entity type 'dataset'");
  }
  return absl::OkStatus();
}

std::string_view EntityNameForValueError(SearchEntity entity) {
  switch (entity) {
    case SearchEntity::kParam:
      return "parameter (e.g. 'my-value')";
    case SearchEntity::kTag:
      return "tag (e.g. 'my-value')";
    case SearchEntity::kDataset:
      return "dataset attributes";
    default:
      return "attributes";
  }
}

absl::StatusOr<SearchValue> TypeNumber(const ResolvedKey& key, const Token& value) {
  if (value.kind != TokenKind::kNumber) {
    if (key.entity == SearchEntity::kMetric) {
      return ErrorAt(value, StrCat("Expected numeric value type for metric. Found ", value.raw));
    }
    return ErrorAt(value, StrCat("Expected numeric value type for numeric attribute: ",
                                 key.written_key, ". Found ", value.raw));
  }
  std::optional<double> number = ParseDouble(value.raw);
  if (!number || !std::isfinite(*number)) {
    return ErrorAt(value, StrCat("Numeric value out of range: ", value.raw));
  }
  SearchValue out;
  out.is_number = true;
  out.number = *number;
  out.text = value.raw;
  return out;
}

absl::StatusOr<SearchValue> TypeString(const ResolvedKey& key, const Token& value) {
  if (std::optional<std::string> text = StringLiteral(value)) {
    SearchValue out;
    out.text = *std::move(text);
    return out;
  }
  if (value.kind == TokenKind::kIdentifier) {
    return ErrorAt(value, StrCat("Parameter value is either not quoted or unidentified "
                                 "quote types used for string value ",
                                 value.raw, " (use either single or double quotes)"));
  }
  return ErrorAt(value, StrCat("Expected a quoted string value for ",
                               EntityNameForValueError(key.entity), ". Got value ", value.raw));
}

}  // namespace

std::optional<std::string> StringLiteral(const Token& token) {
  if (token.kind == TokenKind::kString) return token.text;
  // sqlparse reads "x" as an identifier; MLflow accepts it as a string value.
  if (token.kind == TokenKind::kIdentifier && token.parts.size() == 1 &&
      token.parts[0].quote == '"') {
    return token.parts[0].text;
  }
  return std::nullopt;
}

absl::StatusOr<ResolvedKey> ResolveIdentifier(const Token& ident, SearchKind kind, Usage usage) {
  ResolvedKey out;
  out.kind = kind;
  const std::vector<IdentifierPart>& parts = ident.parts;
  if (parts.size() > 1) {
    ASSIGN_OR_RETURN(out.entity, ResolveEntity(ident, parts[0].text, kind));
    std::vector<std::string_view> key_parts;
    for (size_t i = 1; i < parts.size(); ++i) key_parts.push_back(parts[i].text);
    out.written_key = Join(key_parts, ".");
  } else {
    out.written_key = parts.empty() ? "" : parts[0].text;
  }
  out.key = out.written_key;
  if (usage == Usage::kOrderBy) RETURN_IF_ERROR(CheckOrderable(ident, kind, out.entity));
  if (out.entity == SearchEntity::kAttribute) {
    RETURN_IF_ERROR(ResolveAttribute(ident, kind, usage, out));
  } else if (out.entity == SearchEntity::kDataset) {
    RETURN_IF_ERROR(ResolveDataset(ident, out));
  } else if (out.key.empty()) {
    return ErrorAt(ident, StrCat("Invalid identifier '", ident.raw,
                                 "': the key after the entity type is empty"));
  }
  if (out.entity == SearchEntity::kMetric) out.numeric = true;
  return out;
}

absl::StatusOr<SearchValue> TypeScalarValue(const ResolvedKey& key, const Token& value) {
  return key.numeric ? TypeNumber(key, value) : TypeString(key, value);
}

absl::StatusOr<CompareOp> CheckOperator(const ResolvedKey& key, std::string_view op_text,
                                        const Token& op_token) {
  std::span<const std::string_view> allowed = kStringOps;
  if (key.numeric) allowed = kNumericOps;
  if (key.list_ok) allowed = kListStringOps;
  static constexpr struct {
    std::string_view text;
    CompareOp op;
  } kOps[] = {{"=", CompareOp::kEq},        {"!=", CompareOp::kNe},       {"<", CompareOp::kLt},
              {"<=", CompareOp::kLe},       {">", CompareOp::kGt},        {">=", CompareOp::kGe},
              {"LIKE", CompareOp::kLike},   {"ILIKE", CompareOp::kILike}, {"IN", CompareOp::kIn},
              {"NOT IN", CompareOp::kNotIn}};
  for (std::string_view candidate : allowed) {
    if (candidate != op_text) continue;
    for (const auto& entry : kOps) {
      if (entry.text == op_text) return entry.op;
    }
  }
  bool is_list_op = op_text == "IN" || op_text == "NOT IN";
  if (is_list_op && key.kind == SearchKind::kRuns && key.entity == SearchEntity::kAttribute) {
    return ErrorAt(op_token, StrCat("Only the 'run_id' attribute supports comparison with a "
                                    "list of quoted string values, got '",
                                    op_text, "'"));
  }
  return ErrorAt(op_token, StrCat("Invalid comparator '", op_text, "' not one of '",
                                  Join(allowed, ", "), "'"));
}

}  // namespace ferry::internal
