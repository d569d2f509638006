#include "serving/serving_metrics.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
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

// Parses exposition text, failing the test on any malformed line, and checks that every
// sample's family was declared with HELP and TYPE before it.
std::vector<Sample> Parse(const std::string& text) {
  static const std::regex kSample(
      R"(^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*",?)*)\})? (\S+)$)");
  static const std::regex kHelp(R"(^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$)");
  static const std::regex kType(R"(^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram)$)");
  std::vector<Sample> samples;
  std::map<std::string, std::string> types;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (line.rfind("# HELP", 0) == 0) {
      EXPECT_TRUE(std::regex_match(line, kHelp)) << line;
    } else if (std::regex_match(line, m, kType)) {
      EXPECT_EQ(types.count(m[1]), 0u) << "family declared twice: " << line;
      types[m[1]] = m[2];
    } else if (std::regex_match(line, m, kSample)) {
      std::string name = m[1];
      std::string family = name;
      for (const char* suffix : {"_bucket", "_sum", "_count"}) {
        std::string s = suffix;
        if (!types.count(family) && name.size() > s.size() &&
            name.compare(name.size() - s.size(), s.size(), s) == 0) {
          family = name.substr(0, name.size() - s.size());
        }
      }
      EXPECT_TRUE(types.count(family)) << "no TYPE before " << line;
      std::string v = m[4];
      samples.push_back({name, m[3], v == "+Inf" ? INFINITY : std::stod(v)});
    } else {
      ADD_FAILURE() << "malformed line: " << line;
    }
  }
  return samples;
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
    std::string labels = std::regex_replace(s.labels, std::regex(R"(,?le="[^"]*")"), "");
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

TEST(ServingMetrics, EscapesLabelValues) {
  EXPECT_EQ(EscapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace ferry::serving
