#include "serving/prediction_frames.h"

#include <string>

namespace ferry::serving {
namespace {

// The names of the `width` columns of `t` (spec may be null).
std::vector<std::string> ColumnNames(const Tensor& t, const TensorSpec* spec, int64_t width,
                                     bool prefix_spec_columns) {
  std::vector<std::string> names;
  names.reserve(static_cast<size_t>(width));
  const bool named = spec != nullptr && static_cast<int64_t>(spec->columns.size()) == width;
  for (int64_t j = 0; j < width; ++j) {
    if (named) {
      const std::string& c = spec->columns[static_cast<size_t>(j)];
      names.push_back(prefix_spec_columns ? t.name + "_" + c : c);
    } else if (width == 1) {
      names.push_back(t.name);
    } else {
      names.push_back(t.name + "_" + std::to_string(j));
    }
  }
  return names;
}

// Appends the columns of `t` ([N] or [N, F]) to `out`; `rows` is the batch size seen so far
// (-1: none yet).
absl::Status AppendColumns(const Tensor& t, const TensorSpec* spec, bool prefix_spec_columns,
                           int64_t& rows, Frame& out) {
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
  std::vector<std::string> names = ColumnNames(t, spec, width, prefix_spec_columns);
  for (int64_t j = 0; j < width; ++j) {
    Column c;
    c.name = std::move(names[static_cast<size_t>(j)]);
    c.numeric = !text;
    for (int64_t i = 0; i < n; ++i) {
      const int64_t at = i * width + j;
      if (text) {
        c.strings.push_back(t.strings[static_cast<size_t>(at)]);
      } else {
        c.numbers.push_back(ElementAsDouble(t, at));
      }
    }
    out.columns.push_back(std::move(c));
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
    for (std::string& c : ColumnNames(named, &spec, width, false)) out.push_back(std::move(c));
  }
  return out;
}

absl::StatusOr<PredictionFrames> PredictionToFrames(const ModelSchema& schema,
                                                    const std::vector<Tensor>& inputs,
                                                    const std::vector<Tensor>& outputs) {
  PredictionFrames f;
  int64_t rows = -1;
  for (const Tensor& t : inputs) {
    RETURN_IF_ERROR(AppendColumns(t, FindSpec(schema.inputs, t.name), false, rows, f.inputs));
  }
  for (const Tensor& t : outputs) {
    RETURN_IF_ERROR(AppendColumns(t, FindSpec(schema.outputs, t.name), true, rows, f.predictions));
  }
  if (rows < 0) return absl::InvalidArgumentError("no tensors");
  return f;
}

}  // namespace ferry::serving
