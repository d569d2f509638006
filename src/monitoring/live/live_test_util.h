#pragma once
// Deterministic traffic for live monitoring tests: frames of normal and categorical columns.

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "core/frame.h"

namespace ferry::monitoring::testing {

// Rows with x1, x2 ~ N(shift, 1) and cat in {a, b, c} (weights 0.5, 0.3, 0.2).
inline Frame Traffic(std::mt19937_64& rng, size_t rows, double shift = 0.0) {
  std::normal_distribution<double> normal(shift, 1.0);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  Column x1{"x1", true, {}, {}}, x2{"x2", true, {}, {}}, cat{"cat", false, {}, {}};
  for (size_t i = 0; i < rows; ++i) {
    x1.numbers.push_back(normal(rng));
    x2.numbers.push_back(normal(rng));
    double u = unit(rng);
    cat.strings.push_back(u < 0.5 ? "a" : (u < 0.8 ? "b" : "c"));
  }
  Frame f;
  f.columns = {std::move(x1), std::move(x2), std::move(cat)};
  return f;
}

inline Frame OneNumeric(const std::string& name, std::vector<double> values) {
  Frame f;
  f.columns.push_back(Column{name, true, std::move(values), {}});
  return f;
}

inline Frame OneText(const std::string& name, std::vector<std::string> values) {
  Frame f;
  f.columns.push_back(Column{name, false, {}, std::move(values)});
  return f;
}

// The predictions of a toy model: predict = 1 when x1 > 0, and its score.
inline Frame Predict(const Frame& inputs) {
  Column predict{"predict", true, {}, {}}, score{"score", true, {}, {}};
  for (double x : inputs.columns[0].numbers) {
    predict.numbers.push_back(x > 0 ? 1.0 : 0.0);
    score.numbers.push_back(1.0 / (1.0 + std::exp(-x)));
  }
  Frame f;
  f.columns = {std::move(predict), std::move(score)};
  return f;
}

}  // namespace ferry::monitoring::testing
