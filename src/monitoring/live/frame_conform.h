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

// Where a schema's columns are in the frames of one request layout (the same column names in
// the same order), resolved once per layout rather than per request.
class ConformPlan {
 public:
  // Re-resolves when `frame`'s column names differ from the last frame's (or `schema` is
  // not the one last resolved for; pass the same schema object every time).
  void Resolve(const Frame& frame, const LiveSchema& schema, size_t max_unknown);
  // Per schema column, its index in the frame, or -1 when the frame lacks it.
  const std::vector<int>& sources() const { return sources_; }
  // The frame's columns not in the schema (at most max_unknown names).
  const std::vector<std::string>& unknown() const { return unknown_; }

 private:
  const LiveSchema* schema_ = nullptr;
  std::vector<std::string> names_;
  std::vector<int> sources_;
  std::vector<std::string> unknown_;
};

// Empty columns named and typed as `schema`'s, for AppendConformed.
Frame EmptyConformed(const LiveSchema& schema);
// Appends rows [begin, end) of `frame` to `out` (EmptyConformed(schema), then appended to):
// a column the frame lacks gets missing values, numbers in a text column are written in
// shortest form, text in a numeric column is parsed (NaN when it is not a number).
void AppendConformed(const Frame& frame, const LiveSchema& schema, const ConformPlan& plan,
                     size_t begin, size_t end, Frame* out);
// Empties `frame`'s columns, keeping their buffers.
void ClearColumns(Frame* frame);

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

// One cell as text (numbers in shortest form, "" for NaN or no column) and as a number (NaN
// when the text is not a number or there is no column).
std::string CellText(const Column* c, size_t row);
double CellNumber(const Column* c, size_t row);
// The prediction column quality and bias read: `name` if the frame has it, else its first
// column (null when it has none).
const Column* PrimaryPrediction(const Frame& predictions, const std::string& name);

// Whether every column of `frame` has `rows` values.
bool FrameIsRectangular(const Frame& frame, size_t rows);

}  // namespace ferry::monitoring
