#include "serving/prediction_frames.h"

#include <string>
#include <string_view>

namespace ferry::serving {
namespace {

// The name of column `j` of the `width` columns of `t` (spec may be null).
std::string ColumnName(const Tensor& t, const TensorSpec* spec, int64_t width, int64_t j,
                       bool prefix_spec_columns) {
  if (spec != nullptr && static_cast<int64_t>(spec->columns.size()) == width) {
    const std::string& c = spec->columns[static_cast<size_t>(j)];
    return prefix_spec_columns ? t.name + "_" + c : c;
  }
  if (width == 1) return t.name;
  return t.name + "_" + std::to_string(j);
}

// Whether `name` is already ColumnName(t, spec, width, j, prefix_spec_columns), without
// building it (a reused frame keeps its names record after record).
bool HasColumnName(const std::string& name, const Tensor& t, const TensorSpec* spec, int64_t width,
                   int64_t j, bool prefix_spec_columns) {
  std::string_view rest = name;
  if (spec != nullptr && static_cast<int64_t>(spec->columns.size()) == width) {
    const std::string& c = spec->columns[static_cast<size_t>(j)];
    if (!prefix_spec_columns) return name == c;
  } else if (width == 1) {
    return name == t.name;
  }
  if (rest.size() <= t.name.size() || rest.substr(0, t.name.size()) != t.name ||
      rest[t.name.size()] != '_') {
    return false;
  }
  rest.remove_prefix(t.name.size() + 1);
  if (spec != nullptr && static_cast<int64_t>(spec->columns.size()) == width) {
    return rest == spec->columns[static_cast<size_t>(j)];
  }
  return rest == std::to_string(j);
}

// The next column of `out` to fill: column `used` emptied (its buffers kept), or a new one.
Column& NextColumn(Frame& out, size_t& used) {
  if (used == out.columns.size()) out.columns.emplace_back();
  Column& c = out.columns[used++];
  c.numbers.clear();
  c.strings.clear();
  return c;
}

// Fills the next columns of `out` with those of `t` ([N] or [N, F]); `rows` is the batch size
// seen so far (-1: none yet).
absl::Status AppendColumns(const Tensor& t, const TensorSpec* spec, bool prefix_spec_columns,
                           int64_t& rows, Frame& out, size_t& used) {
  if (t.shape.empty() || t.shape.size() > 2 || t.shape[0] < 0 ||
      (t.shape.size() == 2 && t.shape[1] < 1)) {
    return absl::InvalidArgumentError("tensor \"" + t.name + "\": shape " + ShapeString(t.shape) +
                                      " is not [N] or [N, F]");
  }
  const int64_t n = t.shape[0];
  const int64_t width = t.shape.size() == 2 ? t.shape[1] : 1;
  if (rows >= 0 && n != rows) {
    return absl::InvalidArgumentError("tensor \"" + t.name + "\": batch size " + std::to_string(n) +
                                      " differs from " + std::to_string(rows));
  }
  rows = n;
  const bool text = t.datatype == DataType::kBytes;
  const int64_t count = n * width;
  const bool short_data =
      text ? static_cast<int64_t>(t.strings.size()) < count
           : static_cast<int64_t>(t.data.size()) < count * DataTypeSize(t.datatype);
  if (short_data) {
    return absl::InvalidArgumentError("tensor \"" + t.name + "\": data shorter than its shape");
  }
  for (int64_t j = 0; j < width; ++j) {
    Column& c = NextColumn(out, used);
    if (!HasColumnName(c.name, t, spec, width, j, prefix_spec_columns)) {
      c.name = ColumnName(t, spec, width, j, prefix_spec_columns);
    }
    c.numeric = !text;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t at = i * width + j;
      if (text) {
        c.strings.push_back(t.strings[static_cast<size_t>(at)]);
      } else {
        c.numbers.push_back(ElementAsDouble(t, at));
      }
    }
  }
  return absl::OkStatus();
}

const TensorSpec* FindSpec(const std::vector<TensorSpec>& specs, const std::string& name) {
  for (const TensorSpec& s : specs) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

}  // namespace

std::vector<std::string> SchemaInputColumns(const ModelSchema& schema) {
  std::vector<std::string> out;
  for (const TensorSpec& spec : schema.inputs) {
    const int64_t width = spec.shape.size() == 2 ? spec.shape[1] : 1;
    if (spec.shape.empty() || spec.shape.size() > 2 || width < 1) continue;
    Tensor named{spec.name, spec.datatype, {}, {}, {}};
    for (int64_t j = 0; j < width; ++j) out.push_back(ColumnName(named, &spec, width, j, false));
  }
  return out;
}

absl::Status PredictionToFrames(const ModelSchema& schema, const std::vector<Tensor>& inputs,
                                const std::vector<Tensor>& outputs, PredictionFrames& out) {
  int64_t rows = -1;
  size_t used_inputs = 0, used_predictions = 0;
  absl::Status s = absl::OkStatus();
  for (const Tensor& t : inputs) {
    if (!s.ok()) break;
    s = AppendColumns(t, FindSpec(schema.inputs, t.name), false, rows, out.inputs, used_inputs);
  }
  for (const Tensor& t : outputs) {
    if (!s.ok()) break;
    s = AppendColumns(t, FindSpec(schema.outputs, t.name), true, rows, out.predictions,
                      used_predictions);
  }
  out.inputs.columns.resize(used_inputs);
  out.predictions.columns.resize(used_predictions);
  if (s.ok() && rows < 0) s = absl::InvalidArgumentError("no tensors");
  return s;
}

absl::StatusOr<PredictionFrames> PredictionToFrames(const ModelSchema& schema,
                                                    const std::vector<Tensor>& inputs,
                                                    const std::vector<Tensor>& outputs) {
  PredictionFrames f;
  RETURN_IF_ERROR(PredictionToFrames(schema, inputs, outputs, f));
  return f;
}

}  // namespace ferry::serving
