#pragma once
// Parsed search queries (the MLflow filter grammar's AST). tracking/ parses strings into
// these; store/ implementations translate them into their query language.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/access_scope.h"
#include "core/paging.h"
#include "core/tracking_types.h"

namespace ferry {

enum class SearchEntity { kMetric, kParam, kTag, kAttribute, kDataset };
enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kLike, kILike, kIn, kNotIn };

const char* CompareOpText(CompareOp op);  // "=", "!=", "LIKE", "NOT IN", ...

struct SearchValue {
  bool is_number = false;
  double number = 0;
  std::string text;               // for string comparisons
  std::vector<std::string> list;  // for IN / NOT IN
};

// `entity.key op value`. Attribute keys are canonical: run_id, run_name, status, user_id,
// artifact_uri, start_time, end_time (runs); name, creation_time, last_update_time
// (experiments). Dataset keys: name, digest, context.
struct Comparison {
  SearchEntity entity = SearchEntity::kAttribute;
  std::string key;
  CompareOp op = CompareOp::kEq;
  SearchValue value;
};

struct OrderBy {
  SearchEntity entity = SearchEntity::kAttribute;
  std::string key;
  bool ascending = true;
};

struct RunSearchQuery {
  std::vector<std::string> experiment_ids;
  std::vector<Comparison> filter;  // AND of all
  std::vector<OrderBy> order_by;   // empty: start_time DESC, run_id ASC
  ViewType view_type = ViewType::kActiveOnly;
  int64_t max_results = 1000;
  int64_t offset = 0;
};

struct ExperimentSearchQuery {
  std::vector<Comparison> filter;
  std::vector<OrderBy> order_by;  // empty: creation_time DESC, experiment_id ASC
  ViewType view_type = ViewType::kActiveOnly;
  int64_t max_results = 1000;
  int64_t offset = 0;
  AccessScope scope;  // experiment ids
};

}  // namespace ferry
