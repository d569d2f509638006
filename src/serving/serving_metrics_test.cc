#include "serving/serving_metrics.h"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <sstream>

#include "serving/serving_service.h"
#include "serving/serving_test_util.h"

namespace ferry::serving {
namespace {

struct Sample {
  std::string name;
  std::string labels;  // without the braces
  double value;
};

bool IsNameChar(char c, bool first) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':' ||
         (!first && std::isdigit(static_cast<unsigned char>(c)));
}

// Reads a metric or label name at `pos`; empty if there is none.
std::string ReadName(const std::string& line, size_t& pos) {
  size_t start = pos;
  while (pos < line.size() && IsNameChar(line[pos], pos == start)) ++pos;
  return line.substr(start, pos - start);
}

// `{k="v",...}` at `pos` (escapes \\, \", \n inside values). False when malformed.
bool ReadLabels(const std::string& line, size_t& pos, std::string* labels) {
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
bool ParseSample(const std::string& line, Sample* out) {
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

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() > suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Parses exposition text, failing the test on any malformed line, and checks that every
// sample's family was declared with HELP and TYPE before it.
std::vector<Sample> Parse(const std::string& text) {
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
std::string WithoutLe(const std::string& labels) {
  size_t at = labels.find("le=\"");
  if (at == std::string::npos) return labels;
  size_t end = labels.find('"', at + 4) + 1;
  if (at > 0 && labels[at - 1] == ',') --at;
  return labels.substr(0, at) + labels.substr(end);
}

double Find(const std::vector<Sample>& s, const std::string& name, const std::string& labels) {
  for (const auto& x : s) {
    if (x.name == name && x.labels == labels) return x.value;
  }
  ADD_FAILURE() << "no sample " << name << "{" << labels << "}";
  return -1;
}

// Every histogram series: buckets cumulative, le="+Inf" equal to _count.
void CheckHistograms(const std::vector<Sample>& samples) {
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

TEST(Histogram, BucketsAreCumulativeWithSecondsBounds) {
  ServingMetrics metrics;
  auto m = metrics.ForVersion("fraud", "1", 8);
  for (int64_t us : {30, 100, 2000000, 20000000}) m->request_us.Observe(us);
  for (int64_t rows : {1, 3, 8, 8}) m->batch_size.Observe(rows);
  auto s = Parse(metrics.Render());
  const std::string l = R"(model="fraud",version="1")";
  const std::string name = "ferry_inference_request_seconds";
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="5e-05")"), 1);
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="1e-04")"), 2);
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="1")"), 2);
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="2.5")"), 3);
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="10")"), 3);
  EXPECT_EQ(Find(s, name + "_bucket", l + R"(,le="+Inf")"), 4);
  EXPECT_EQ(Find(s, name + "_count", l), 4);
  EXPECT_DOUBLE_EQ(Find(s, name + "_sum", l), 22.00013);
  EXPECT_EQ(Find(s, "ferry_batch_size_bucket", l + R"(,le="1")"), 1);
  EXPECT_EQ(Find(s, "ferry_batch_size_bucket", l + R"(,le="4")"), 2);
  EXPECT_EQ(Find(s, "ferry_batch_size_bucket", l + R"(,le="8")"), 4);
  EXPECT_EQ(Find(s, "ferry_batch_size_sum", l), 20);
  CheckHistograms(s);
}

TEST(Histogram, BatchSizeBucketsArePowersOfTwoUpToMax) {
  EXPECT_EQ(BatchSizeBuckets(0), (std::vector<int64_t>{1}));
  EXPECT_EQ(BatchSizeBuckets(8), (std::vector<int64_t>{1, 2, 4, 8}));
  EXPECT_EQ(BatchSizeBuckets(10), (std::vector<int64_t>{1, 2, 4, 8, 16}));
}

TEST(ServingMetrics, CountsMatchAKnownSequenceOfRequests) {
  testing::Fleet fleet;
  testing::FakeClock clock;
  testing::SeededRandom random(3);
  ServingService service(fleet.Loader(), clock, random);
  ASSERT_TRUE(service.manager().SetPrimary("fraud", testing::Ref("1")).ok());
  ASSERT_TRUE(service.manager().SetPrimary("we\"ird", testing::Ref("3")).ok());
  auto run = [&](std::string model, std::string version, std::vector<Tensor> inputs) {
    InferRequest req;
    req.inputs = std::move(inputs);
    service.Infer(model, version, std::move(req), [](InferResult) {});
  };
  for (int i = 0; i < 5; ++i) run("fraud", "", testing::Rows(1, 1));
  run("fraud", "1", testing::Rows(1, 1));
  run("fraud", "", {});                  // missing input
  run("nope", "", testing::Rows(1, 1));  // unknown model: not counted
  run("we\"ird", "", testing::Rows(1, 1));
  fleet.Get("1")->fail = true;
  run("fraud", "", testing::Rows(1, 1));
  service.RecordSerialize("fraud", 70);
  service.RecordSerialize("nope", 70);  // no series for unknown names

  auto s = Parse(service.RenderMetrics());
  const std::string l = R"(model="fraud",version="1")";
  EXPECT_EQ(Find(s, "ferry_inference_requests_total", l + R"(,role="primary")"), 7);
  EXPECT_EQ(Find(s, "ferry_inference_requests_total", l + R"(,role="direct")"), 1);
  EXPECT_EQ(Find(s, "ferry_inference_errors_total", l + R"(,code="INVALID_ARGUMENT")"), 1);
  EXPECT_EQ(Find(s, "ferry_inference_errors_total", l + R"(,code="INTERNAL")"), 1);
  EXPECT_EQ(
      Find(s, "ferry_inference_requests_total", R"(model="we\"ird",version="3",role="primary")"),
      1);
  // Requests that reached the model: 5 + 1 + 1 failing.
  EXPECT_EQ(Find(s, "ferry_inference_request_seconds_count", l), 7);
  EXPECT_EQ(Find(s, "ferry_inference_queue_seconds_count", l), 7);
  EXPECT_EQ(Find(s, "ferry_inference_compute_seconds_count", l), 6);
  EXPECT_EQ(Find(s, "ferry_inference_serialize_seconds_count", R"(model="fraud")"), 1);
  EXPECT_EQ(Find(s, "ferry_queue_depth", l), 0);
  EXPECT_EQ(Find(s, "ferry_model_loaded", l + R"(,state="READY")"), 1);
  for (const auto& x : s) EXPECT_EQ(x.labels.find("nope"), std::string::npos) << x.labels;
  CheckHistograms(s);

  // An unloaded version leaves ferry_model_loaded; its counters stay.
  ASSERT_TRUE(service.manager().Remove("fraud").ok());
  s = Parse(service.RenderMetrics());
  for (const auto& x : s) {
    if (x.name == "ferry_model_loaded") {
      EXPECT_EQ(x.labels.find("fraud"), std::string::npos);
    }
  }
  EXPECT_EQ(Find(s, "ferry_inference_requests_total", l + R"(,role="primary")"), 7);
}

TEST(ExpositionParser, RejectsMalformedLines) {
  Sample s;
  EXPECT_TRUE(ParseSample(R"(a_b{x="1",y="q\"z"} 2.5)", &s));
  EXPECT_EQ(s.labels, R"(x="1",y="q\"z")");
  EXPECT_TRUE(ParseSample("a 1", &s));
  for (const char* bad : {R"(a{x="1} 1)", "a 1 2", R"(a{x=1} 1)", "a{} ", "1a 1", "a x"}) {
    EXPECT_FALSE(ParseSample(bad, &s)) << bad;
  }
}

TEST(ServingMetrics, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace ferry::serving
