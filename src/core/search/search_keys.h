#pragma once
// The attribute and dataset keys each MLflow search accepts (mlflow/utils/search_utils.py,
// 2.12), in one place: the filter grammar (search_parser_rules.cc) resolves what users write
// with them, and the stores' query builders check the canonical keys they translate against
// them, so both answer the same keys with the same message.

#include <span>
#include <string>
#include <string_view>

namespace ferry {

// The search API a filter or order_by belongs to; it fixes the entities and keys allowed.
enum class SearchKind { kRuns, kExperiments, kRegisteredModels, kModelVersions };
enum class SearchUsage { kFilter, kOrderBy };

struct SearchableAttribute {
  std::string_view name;       // as written
  std::string_view canonical;  // as stored in Comparison::key / OrderBy::key
  bool numeric = false;        // compared with numbers; otherwise quoted strings
  bool list_ok = false;        // IN / NOT IN allowed
  bool in_filter = true;
  bool in_order_by = true;
};

// Every spelling `kind` knows, MLflow's aliases (`created`, `run name`, `timestamp`) included;
// each canonical key also appears under its own name.
std::span<const SearchableAttribute> SearchableAttributes(SearchKind kind);
// The attribute written `name` that `usage` of `kind` allows, or nullptr.
const SearchableAttribute* FindSearchableAttribute(SearchKind kind, SearchUsage usage,
                                                   std::string_view name);
// "Invalid attribute key '<key>' specified. Valid keys are '['a', 'b']'" (canonical keys
// `usage` allows), MLflow's message.
std::string InvalidAttributeKeyMessage(std::string_view key, SearchKind kind, SearchUsage usage);

// The keys of `datasets.<key>` in run searches: name, digest, context.
std::span<const std::string_view> DatasetSearchKeys();
bool IsDatasetSearchKey(std::string_view key);
// "Invalid dataset key '<key>' specified. Valid keys are '['name', 'digest', 'context']'".
std::string InvalidDatasetKeyMessage(std::string_view key);

// "['a', 'b']", the way MLflow prints its lists of valid names.
std::string QuotedNameList(std::span<const std::string_view> names);

}  // namespace ferry
