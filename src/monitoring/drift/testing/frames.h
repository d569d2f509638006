#pragma once
// Small Frame builders and seeded samples for the drift tests.

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/frame.h"

namespace ferry::monitoring::testing {

inline Column NumColumn(std::string name, std::vector<double> values) {
  Column c;
  c.name = std::move(name);
  c.numeric = true;
  c.numbers = std::move(values);
  return c;
}

inline Column TextColumn(std::string name, std::vector<std::string> values) {
  Column c;
  c.name = std::move(name);
  c.numeric = false;
  c.strings = std::move(values);
  return c;
}

inline Frame MakeFrame(std::vector<Column> columns) {
  Frame f;
  f.columns = std::move(columns);
  return f;
}

// `count` copies of `value` per (value, count) pair, in order.
inline std::vector<std::string> Repeat(const std::vector<std::pair<std::string, int>>& counts) {
  std::vector<std::string> out;
  for (const auto& [value, n] : counts) out.insert(out.end(), static_cast<size_t>(n), value);
  return out;
}

// The reference's generator: s <- (1664525 s + 1013904223) mod 2^32, u = (s + 0.5) / 2^32.
inline std::vector<double> Lcg(uint32_t seed, size_t n, double shift = 0) {
  std::vector<double> out;
  uint32_t s = seed;
  for (size_t i = 0; i < n; ++i) {
    s = 1664525u * s + 1013904223u;
    out.push_back((s + 0.5) / 4294967296.0 + shift);
  }
  return out;
}

// Standard normal samples from the LCG (Box-Muller), mean `mean`.
inline std::vector<double> Normal(uint32_t seed, size_t n, double mean = 0) {
  std::vector<double> u = Lcg(seed, 2 * n);
  std::vector<double> out;
  for (size_t i = 0; i < n; ++i) {
    double r = std::sqrt(-2 * std::log(u[2 * i]));
    out.push_back(mean + r * std::cos(2 * M_PI * u[2 * i + 1]));
  }
  return out;
}

}  // namespace ferry::monitoring::testing
