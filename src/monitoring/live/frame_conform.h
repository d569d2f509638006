#pragma once
// Brings the columns of one request to a fixed schema (names and profile types), so window
// profiles never see a type conflict and their memory does not grow with whatever columns
// clients send: absent columns become missing values, numbers in a text column are written
// in shortest form, text in a numeric column is parsed (NaN when it is not a number), other
// columns are left out and reported. Internal to live/.

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/frame.h"
#include "monitoring/profile/column_profile.h"

namespace ferry::monitoring {

using LiveSchema = std::vector<std::pair<std::string, ProfileColumnType>>;

// Rows [begin, end) of `frame` in `schema`'s columns. The names of `frame`'s columns that are
// not in the schema are added to `unknown` while it holds fewer than `max_unknown`.
Frame ConformFrame(const Frame& frame, const LiveSchema& schema, size_t begin, size_t end,
                   std::set<std::string>* unknown, size_t max_unknown);

// The schema of `names` (all of `frame`'s columns when empty, at most `max_columns`), typed
// by `typed` when it names the column, else by the frame's column, else numeric.
template <typename TypeOf>
LiveSchema MakeSchema(const std::vector<std::string>& names, const Frame& frame, size_t max_columns,
                      TypeOf typed) {
  LiveSchema schema;
  std::vector<std::string> wanted = names;
  if (wanted.empty()) {
    for (const Column& c : frame.columns) wanted.push_back(c.name);
  }
  std::set<std::string> seen;
  for (const std::string& name : wanted) {
    if (schema.size() >= max_columns) break;
    if (!seen.insert(name).second) continue;
    ProfileColumnType type = ProfileColumnType::kNumeric;
    if (std::optional<ProfileColumnType> t = typed(name)) {
      type = *t;
    } else if (const Column* c = frame.Find(name)) {
      type = c->numeric ? ProfileColumnType::kNumeric : ProfileColumnType::kText;
    }
    schema.emplace_back(name, type);
  }
  return schema;
}

// Whether every column of `frame` has `rows` values.
bool FrameIsRectangular(const Frame& frame, size_t rows);

}  // namespace ferry::monitoring
