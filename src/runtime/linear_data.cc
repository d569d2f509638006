#include "runtime/linear_data.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <optional>
#include <set>

#include "common/strings.h"

namespace ferry::runtime {
namespace {

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

absl::Status BadParam(std::string_view name, std::string_view expected, std::string_view got) {
  return absl::InvalidArgumentError("param \"" + std::string(name) + "\": expected " +
                                    std::string(expected) + ", got \"" + std::string(got) + "\"");
}

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

std::string RowError(std::string_view column_kind, std::string_view name, std::string_view problem,
                     std::string_view what, size_t row) {
  return std::string(column_kind) + " column \"" + std::string(name) +
         "\": " + std::string(problem) + " in " + std::string(what) + " row " +
         std::to_string(row + 1);
}

bool IsInteger(double v) { return std::trunc(v) == v && std::abs(v) <= kMaxExactInteger; }

// The decimal spelling of a numeric class label: integers plainly, others shortest form.
std::string ClassName(double v) {
  if (IsInteger(v)) return std::to_string(static_cast<int64_t>(v));
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, r.ptr);
}

}  // namespace

absl::StatusOr<LinearParams> ParseLinearParams(const std::map<std::string, std::string>& params,
                                               std::string_view family) {
  LinearParams p;
  for (const auto& [name, value] : params) {
    if (name == "l2") {
      std::optional<double> v = ParseDouble(value);
      if (!v || !std::isfinite(*v) || *v < 0) return BadParam(name, "a number >= 0", value);
      p.l2 = *v;
    } else if (name == "max_iter") {
      std::optional<int64_t> v = ParseInt64(value);
      if (!v || *v < 1 || *v > 1000000) {
        return BadParam(name, "an integer in [1, 1000000]", value);
      }
      p.max_iter = static_cast<int>(*v);
    } else if (name == "tol") {
      std::optional<double> v = ParseDouble(value);
      if (!v || !std::isfinite(*v) || *v <= 0) return BadParam(name, "a number > 0", value);
      p.tol = *v;
    } else if (name == "features") {
      p.features = value;
    } else {
      return absl::InvalidArgumentError("unknown param \"" + name + "\" (the " +
                                        std::string(family) +
                                        " family takes l2, max_iter, tol, features)");
    }
  }
  return p;
}

absl::StatusOr<std::vector<std::string>> ResolveFeatures(const Frame& frame,
                                                         const std::string& features,
                                                         const std::string& target) {
  std::vector<std::string> names;
  if (Trim(features).empty()) {
    for (const Column& c : frame.columns) {
      if (c.numeric && c.name != target) names.push_back(c.name);
    }
    if (names.empty()) {
      return absl::InvalidArgumentError("no numeric feature columns besides the target \"" +
                                        target + "\"");
    }
    return names;
  }
  std::set<std::string> seen;
  for (std::string_view piece : SplitString(features, ',')) {
    std::string name(Trim(piece));
    if (name.empty()) return BadParam("features", "comma-separated column names", features);
    if (name == target) {
      return absl::InvalidArgumentError("param \"features\": \"" + name +
                                        "\" is the target column");
    }
    if (!seen.insert(name).second) {
      return absl::InvalidArgumentError("param \"features\": \"" + name + "\" is listed twice");
    }
    names.push_back(std::move(name));
  }
  return names;
}

absl::StatusOr<std::vector<double>> FeatureMatrix(const Frame& frame,
                                                  const std::vector<std::string>& features,
                                                  std::string_view what) {
  size_t n = frame.rows(), f = features.size();
  std::vector<double> x(n * f);
  for (size_t j = 0; j < f; ++j) {
    const Column* c = frame.Find(features[j]);
    if (c == nullptr) {
      return absl::InvalidArgumentError("feature column \"" + features[j] + "\" not found in the " +
                                        std::string(what) + " data");
    }
    if (!c->numeric) {
      return absl::InvalidArgumentError(
          "feature column \"" + features[j] + "\" is text in the " + std::string(what) +
          " data; the linear and logistic families take numeric features only");
    }
    for (size_t i = 0; i < n; ++i) {
      if (!std::isfinite(c->numbers[i])) {
        return absl::InvalidArgumentError(
            RowError("feature", features[j], "missing or non-finite value", what, i));
      }
      x[i * f + j] = c->numbers[i];
    }
  }
  return x;
}

void FitStandardizer(std::vector<double>& x, size_t n, size_t f, LinearModel& model) {
  model.mean.assign(f, 0);
  model.scale.assign(f, 1);
  for (size_t j = 0; j < f; ++j) {
    double lo = x[j], hi = x[j], sum = 0;
    for (size_t i = 0; i < n; ++i) {
      lo = std::min(lo, x[i * f + j]);
      hi = std::max(hi, x[i * f + j]);
      sum += x[i * f + j];
    }
    if (lo == hi) {  // constant: centre exactly, keep scale 1 (as scikit-learn's StandardScaler)
      model.mean[j] = lo;
      continue;
    }
    double mean = sum / static_cast<double>(n), ss = 0;
    for (size_t i = 0; i < n; ++i) ss += (x[i * f + j] - mean) * (x[i * f + j] - mean);
    double sd = std::sqrt(ss / static_cast<double>(n));
    model.mean[j] = mean;
    model.scale[j] = sd > 0 ? sd : 1;
  }
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < f; ++j) {
      x[i * f + j] = (x[i * f + j] - model.mean[j]) / model.scale[j];
    }
  }
}

absl::StatusOr<const Column*> TargetColumn(const Frame& frame, const std::string& target,
                                           std::string_view what) {
  if (target.empty()) return absl::InvalidArgumentError("no target column given");
  const Column* c = frame.Find(target);
  if (c == nullptr) {
    return absl::InvalidArgumentError("target column \"" + target + "\" not found in the " +
                                      std::string(what) + " data");
  }
  return c;
}

absl::StatusOr<std::vector<double>> RegressionTargets(const Column& column, std::string_view what) {
  if (!column.numeric) {
    return absl::InvalidArgumentError("target column \"" + column.name +
                                      "\" is text; the linear family needs a numeric target");
  }
  for (size_t i = 0; i < column.numbers.size(); ++i) {
    if (!std::isfinite(column.numbers[i])) {
      return absl::InvalidArgumentError(
          RowError("target", column.name, "missing or non-finite value", what, i));
    }
  }
  return column.numbers;
}

absl::Status FitClasses(const Column& column, LinearModel& model) {
  model.classes.clear();
  model.class_ints.clear();
  if (column.numeric) {
    std::set<double> values;
    for (size_t i = 0; i < column.numbers.size(); ++i) {
      if (!std::isfinite(column.numbers[i])) {
        return absl::InvalidArgumentError(
            RowError("target", column.name, "missing or non-finite value", "training", i));
      }
      values.insert(column.numbers[i] == 0 ? 0.0 : column.numbers[i]);  // -0 joins 0
    }
    model.integer_classes = std::all_of(values.begin(), values.end(), IsInteger);
    for (double v : values) {
      model.classes.push_back(ClassName(v));
      if (model.integer_classes) model.class_ints.push_back(static_cast<int64_t>(v));
    }
  } else {
    std::set<std::string> values;
    for (size_t i = 0; i < column.strings.size(); ++i) {
      if (column.strings[i].empty()) {
        return absl::InvalidArgumentError(
            RowError("target", column.name, "missing value", "training", i));
      }
      values.insert(column.strings[i]);
    }
    model.integer_classes = false;
    model.classes.assign(values.begin(), values.end());
  }
  if (model.classes.size() < 2) {
    return absl::InvalidArgumentError(
        "target column \"" + column.name + "\" has " + std::to_string(model.classes.size()) +
        " distinct value(s) in the training data; classification needs at least 2");
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<int64_t>> ClassLabels(const Column& column, const LinearModel& model,
                                                 std::string_view what) {
  std::map<std::string, int64_t> index;
  for (size_t k = 0; k < model.classes.size(); ++k) {
    index.emplace(model.classes[k], static_cast<int64_t>(k));
  }
  size_t n = column.size();
  std::vector<int64_t> labels(n);
  for (size_t i = 0; i < n; ++i) {
    bool missing = column.numeric ? !std::isfinite(column.numbers[i]) : column.strings[i].empty();
    if (missing) {
      return absl::InvalidArgumentError(RowError("target", column.name, "missing value", what, i));
    }
    std::string name = column.numeric ? ClassName(column.numbers[i] == 0 ? 0.0 : column.numbers[i])
                                      : column.strings[i];
    auto it = index.find(name);
    if (it == index.end()) {
      return absl::InvalidArgumentError(RowError(
          "target", column.name, "value \"" + name + "\" is not a training class", what, i));
    }
    labels[i] = it->second;
  }
  return labels;
}

}  // namespace ferry::runtime
