#include "core/search/search_keys.h"

#include <vector>

namespace ferry {
namespace {

// A timestamp that orders registry results but cannot be filtered on.
constexpr SearchableAttribute OrderOnlyTime(std::string_view name, std::string_view canonical) {
  return {.name = name, .canonical = canonical, .numeric = true, .in_filter = false};
}

// RunInfo's searchable attributes plus MLflow's aliases. The `run name` aliases are filter-only
// (MLflow's VALID_ORDER_BY_ATTRIBUTE_KEYS lacks them); `created` works in both.
constexpr SearchableAttribute kRunAttributes[] = {
    {.name = "artifact_uri", .canonical = "artifact_uri"},
    {.name = "end_time", .canonical = "end_time", .numeric = true},
    {.name = "run_id", .canonical = "run_id", .list_ok = true},
    {.name = "run_name", .canonical = "run_name"},
    {.name = "start_time", .canonical = "start_time", .numeric = true},
    {.name = "status", .canonical = "status"},
    {.name = "user_id", .canonical = "user_id"},
    {.name = "created", .canonical = "start_time", .numeric = true},
    {.name = "Created", .canonical = "start_time", .numeric = true},
    {.name = "run name", .canonical = "run_name", .in_order_by = false},
    {.name = "Run name", .canonical = "run_name", .in_order_by = false},
    {.name = "Run Name", .canonical = "run_name", .in_order_by = false},
};
constexpr SearchableAttribute kExperimentAttributes[] = {
    {.name = "creation_time", .canonical = "creation_time", .numeric = true},
    {.name = "experiment_id", .canonical = "experiment_id", .in_filter = false},
    {.name = "last_update_time", .canonical = "last_update_time", .numeric = true},
    {.name = "name", .canonical = "name"},
};
// Registry searches (MLflow's SearchModelUtils / SearchModelVersionUtils). `timestamp` orders by
// the last update, as in MLflow's SQL store.
constexpr SearchableAttribute kRegisteredModelAttributes[] = {
    {.name = "name", .canonical = "name"},
    OrderOnlyTime("creation_timestamp", "creation_timestamp"),
    OrderOnlyTime("last_updated_timestamp", "last_updated_timestamp"),
    OrderOnlyTime("timestamp", "last_updated_timestamp"),
};
constexpr SearchableAttribute kModelVersionAttributes[] = {
    {.name = "name", .canonical = "name", .list_ok = true},
    {.name = "run_id", .canonical = "run_id", .list_ok = true, .in_order_by = false},
    {.name = "source_path", .canonical = "source_path", .list_ok = true, .in_order_by = false},
    {.name = "version_number", .canonical = "version_number", .numeric = true},
    OrderOnlyTime("creation_timestamp", "creation_timestamp"),
    OrderOnlyTime("last_updated_timestamp", "last_updated_timestamp"),
    OrderOnlyTime("timestamp", "last_updated_timestamp"),
};
constexpr std::string_view kDatasetKeys[] = {"name", "digest", "context"};

bool Allows(const SearchableAttribute& a, SearchUsage usage) {
  return usage == SearchUsage::kFilter ? a.in_filter : a.in_order_by;
}

}  // namespace

std::span<const SearchableAttribute> SearchableAttributes(SearchKind kind) {
  switch (kind) {
    case SearchKind::kRuns:
      return kRunAttributes;
    case SearchKind::kExperiments:
      return kExperimentAttributes;
    case SearchKind::kRegisteredModels:
      return kRegisteredModelAttributes;
    case SearchKind::kModelVersions:
      return kModelVersionAttributes;
  }
  return kRunAttributes;
}

const SearchableAttribute* FindSearchableAttribute(SearchKind kind, SearchUsage usage,
                                                   std::string_view name) {
  for (const SearchableAttribute& a : SearchableAttributes(kind)) {
    if (a.name == name && Allows(a, usage)) return &a;
  }
  return nullptr;
}

std::string InvalidAttributeKeyMessage(std::string_view key, SearchKind kind, SearchUsage usage) {
  std::vector<std::string_view> names;
  for (const SearchableAttribute& a : SearchableAttributes(kind)) {
    if (Allows(a, usage) && a.name == a.canonical) names.push_back(a.name);
  }
  return "Invalid attribute key '" + std::string(key) + "' specified. Valid keys are '" +
         QuotedNameList(names) + "'";
}

std::span<const std::string_view> DatasetSearchKeys() { return kDatasetKeys; }

bool IsDatasetSearchKey(std::string_view key) {
  for (std::string_view k : kDatasetKeys) {
    if (k == key) return true;
  }
  return false;
}

std::string InvalidDatasetKeyMessage(std::string_view key) {
  return "Invalid dataset key '" + std::string(key) + "' specified. Valid keys are '" +
         QuotedNameList(kDatasetKeys) + "'";
}

std::string QuotedNameList(std::span<const std::string_view> names) {
  std::string out = "[";
  for (size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "'" : ", '") + std::string(names[i]) + "'";
  }
  return out + "]";
}

}  // namespace ferry
