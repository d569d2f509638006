#pragma once
// A strict parser of the Prometheus text exposition format for tests: every malformed line,
// a sample before its family's TYPE, or a family declared twice fails the test.

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace ferry::testing {

struct Sample {
  std::string name;
  std::string labels;  // without the braces
  double value;
};

inline bool IsNameChar(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

// Reads a metric or label name at `pos`; empty if there is none.
inline std::string ReadName(const std::string& line, size_t& pos) {
  size_t start = pos;
  while (pos < line.size() && IsNameChar(line[pos], pos == start)) ++pos;
  return line.substr(start, pos - start);
}

// `{k="v",...}` at `pos` (escapes \\, \", \n inside values). False when malformed.
inline bool ReadLabels(const std::string& line, size_t& pos, std::string* labels) {
  if (pos >= line.size() || line[pos] != '{') return true;  // no labels
  const size_t start = ++pos;
  while (pos < line.size() && line[pos] != '}') {
    if (ReadName(line, pos).empty() || line.compare(pos, 2, "=\"") != 0) return false;
    for (pos += 2; pos < line.size() && line[pos] != '"'; ++pos) {
      if (line[pos] == '\\') {
        if (++pos >= line.size() || std::string("\\\"n").find(line[pos]) == std::string::npos) {
          return false;
        }
      }
    }
    if (pos >= line.size()) return false;
    ++pos;  // closing quote
    if (pos < line.size() && line[pos] == ',') ++pos;
  }
  if (pos >= line.size()) return false;
  *labels = line.substr(start, pos - start);
  ++pos;  // '}'
  return true;
}

// `name{labels} value`, the value a number or +Inf. False when malformed.
inline bool ParseSample(const std::string& line, Sample* out) {
  size_t pos = 0;
  out->name = ReadName(line, pos);
  if (out->name.empty() || !ReadLabels(line, pos, &out->labels)) return false;
  if (pos >= line.size() || line[pos] != ' ') return false;
  std::string v = line.substr(pos + 1);
  if (v == "+Inf") {
    out->value = INFINITY;
    return true;
  }
  char* end = nullptr;
  out->value = std::strtod(v.c_str(), &end);
  return !v.empty() && end == v.c_str() + v.size();
}

inline bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Parses exposition text, failing the test on any malformed line, and checks that every
// sample's family was declared with HELP and TYPE before it.
inline std::vector<Sample> Parse(const std::string& text) {
  std::vector<Sample> samples;
  std::map<std::string, std::string> types;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# HELP ", 0) == 0) {
      size_t pos = 7;
      EXPECT_FALSE(ReadName(line, pos).empty()) << line;
      EXPECT_TRUE(pos + 1 < line.size() && line[pos] == ' ') << line;
    } else if (line.rfind("# TYPE ", 0) == 0) {
      size_t pos = 7;
      std::string name = ReadName(line, pos);
      std::string type = pos < line.size() ? line.substr(pos + 1) : "";
      EXPECT_TRUE(type == "counter" || type == "gauge" || type == "histogram") << line;
      EXPECT_EQ(types.count(name), 0u) << "family declared twice: " << line;
      types[name] = type;
    } else {
      Sample sample;
      if (!ParseSample(line, &sample)) {
        ADD_FAILURE() << "malformed line: " << line;
        continue;
      }
      std::string family = sample.name;
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        if (!types.count(family) && EndsWith(sample.name, suffix)) {
          family = sample.name.substr(0, sample.name.size() - std::string(suffix).size());
        }
      }
      EXPECT_TRUE(types.count(family)) << "no TYPE before " << line;
      samples.push_back(std::move(sample));
    }
  }
  return samples;
}

// `labels` without its le="..." pair.
inline std::string WithoutLe(const std::string& labels) {
  size_t at = labels.find("le=\"");
  if (at == std::string::npos) return labels;
  size_t end = labels.find('"', at + 4) + 1;
  if (at > 0 && labels[at - 1] == ',') --at;
  return labels.substr(0, at) + labels.substr(end);
}

inline double Find(const std::vector<Sample>& s, const std::string& name,
                   const std::string& labels) {
  for (const auto& x : s) {
    if (x.name == name && x.labels == labels) return x.value;
  }
  ADD_FAILURE() << "no sample " << name << "{" << labels << "}";
  return -1;
}

// Every histogram series: buckets cumulative, le="+Inf" equal to _count.
inline void CheckHistograms(const std::vector<Sample>& samples) {
  std::map<std::string, std::vector<double>> buckets;  // name + labels without le
  for (const auto& s : samples) {
    if (s.name.size() < 7 || s.name.compare(s.name.size() - 7, 7, "_bucket") != 0) continue;
    std::string labels = WithoutLe(s.labels);
    buckets[s.name.substr(0, s.name.size() - 7) + "{" + labels + "}"].push_back(s.value);
  }
  EXPECT_FALSE(buckets.empty());
  for (const auto& [key, values] : buckets) {
    for (size_t i = 1; i < values.size(); ++i) EXPECT_LE(values[i - 1], values[i]) << key;
    std::string base = key.substr(0, key.find('{'));
    std::string labels = key.substr(key.find('{') + 1);
    labels.pop_back();
    EXPECT_EQ(values.back(), Find(samples, base + "_count", labels)) << key;
  }
}

}  // namespace ferry::testing
