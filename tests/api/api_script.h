#pragma once
// The REST API test format (style.md convention 15): a .test file is a sequence of steps
//
//   # comment
//   request POST /api/2.0/mlflow/experiments/create
//   content-type: text/plain          (optional; default application/json)
//   {"name": "a"}                     (optional body, may span lines)
//   expect 200
//   {"experiment_id": "$capture:exp"} (optional expected body)
//
// separated by blank lines. "${name}" in any later line is replaced by a captured value.
// Expected JSON matches when every expected member matches (extra actual members are
// allowed), arrays match element-wise with equal length, and these strings are patterns:
//   "$any" anything present      "$absent" the member must be missing
//   "$number" any JSON number    "$nonempty" a non-empty string
//   "$capture:NAME" anything, remembered as NAME
// A non-JSON expected body must equal the response body exactly.

#include <map>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace ferry::testing {

struct ApiStep {
  int line = 0;  // where the step starts, for failure messages
  std::string method;
  std::string target;
  std::string content_type = "application/json";
  std::string body;
  int expect_status = 0;
  std::string expect_body;
};

absl::StatusOr<std::vector<ApiStep>> ParseApiScript(const std::string& text);

// Replaces ${name} with captured values.
std::string Substitute(const std::string& text, const std::map<std::string, std::string>& vars);

// Matches `actual` against the `expected` pattern; on mismatch returns a message with the
// JSON path of the first difference. Captures go into `vars`.
absl::Status MatchJson(const JsonValue& expected, const JsonValue& actual, const std::string& path,
                       std::map<std::string, std::string>& vars);

}  // namespace ferry::testing
