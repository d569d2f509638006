#include "package/build/package_config.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "package/layout/oci.h"
#include "package/layout/paths.h"

namespace ferry::package {
namespace {

const std::string kDigestA = "sha256:" + std::string(64, 'a');

PackageConfig Sample() {
  PackageConfig c;
  c.descriptor.name = "churn";
  c.descriptor.version = "3";
  c.descriptor.created_at = "2025-01-01T00:00:00Z";
  c.descriptor.authors = {"ana"};
  c.descriptor.licenses = {"Apache-2.0"};
  c.config.format = "onnx";
  c.diff_ids = {kDigestA};
  c.ferry.ferry_version = "0.1.0";
  c.ferry.predictor = PredictorEntry{"command", "", "", "predict.sh", "", ""};
  c.ferry.trainer =
      TrainerEntry{{"python", "train.py"}, {{"lr", "0.1"}}, {{"train", kDigestA, ""}}};
  c.ferry.inputs = {{"x", "float32", {-1, 4}, {"a", "b", "c", "d"}, true}};
  c.ferry.outputs = {{"y", "float32", {-1}, {}, false}};
  c.ferry.dependencies = {{"ferry", "0.1.0"}, {"onnxruntime", "1.17.1"}};
  c.ferry.metrics = {{"auc", 0.91}};
  c.ferry.source_run_id = "abc";
  c.ferry.code_commit = "deadbeef";
  return c;
}

std::string Msg(const absl::Status& s) { return std::string(s.message()); }

TEST(PackageConfigTest, RoundTrip) {
  PackageConfig c = Sample();
  std::string json = SerializeConfig(c);
  EXPECT_NE(json.find("\"referenceProfile\":null"), std::string::npos) << json;
  EXPECT_NE(json.find("\"modelfs\":{\"type\":\"layers\",\"diffIds\":["), std::string::npos);
  auto parsed = ParseConfig(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->descriptor.name, "churn");
  EXPECT_EQ(parsed->descriptor.authors, c.descriptor.authors);
  EXPECT_EQ(parsed->config.format, "onnx");
  EXPECT_EQ(parsed->diff_ids, c.diff_ids);
  ASSERT_TRUE(parsed->ferry.predictor.has_value());
  EXPECT_EQ(parsed->ferry.predictor->entry, "predict.sh");
  ASSERT_TRUE(parsed->ferry.trainer.has_value());
  EXPECT_EQ(parsed->ferry.trainer->command.size(), 2u);
  EXPECT_EQ(parsed->ferry.trainer->parameters.at("lr"), "0.1");
  EXPECT_EQ(parsed->ferry.trainer->data[0].digest, kDigestA);
  EXPECT_EQ(parsed->ferry.inputs[0].shape, (std::vector<int64_t>{-1, 4}));
  EXPECT_EQ(parsed->ferry.inputs[0].columns, c.ferry.inputs[0].columns);
  EXPECT_TRUE(parsed->ferry.inputs[0].allow_nan);
  EXPECT_EQ(parsed->ferry.dependencies[1].version, "1.17.1");
  EXPECT_DOUBLE_EQ(parsed->ferry.metrics.at("auc"), 0.91);
  EXPECT_FALSE(parsed->ferry.reference_profile.has_value());
  EXPECT_EQ(json.find("\"backend\""), std::string::npos) << "empty fields are left out";
  EXPECT_EQ(SerializeConfig(*parsed), json);
  parsed->ferry.reference_profile = kDigestA;
  auto again = ParseConfig(SerializeConfig(*parsed));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again->ferry.reference_profile, kDigestA);
}

TEST(PackageConfigTest, ValidationNamesTheField) {
  static const struct {
    void (*mutate)(PackageConfig&);
    const char* want;
  } cases[] = {
      {[](PackageConfig& c) { c.descriptor.name.clear(); }, "descriptor.name"},
      {[](PackageConfig& c) { c.descriptor.created_at = "yesterday"; }, "descriptor.createdAt"},
      {[](PackageConfig& c) { c.diff_ids.push_back("md5:1"); }, "modelfs.diffIds[1]"},
      {[](PackageConfig& c) { c.ferry.predictor->kind = "magic"; }, "ferry.predictor.kind"},
      {[](PackageConfig& c) { c.ferry.predictor->entry = "../x"; }, "ferry.predictor.entry"},
      {[](PackageConfig& c) { c.ferry.trainer->command.clear(); }, "ferry.trainer.command"},
      {[](PackageConfig& c) { c.ferry.trainer->data[0].digest = "x"; },
       "ferry.trainer.data[0].digest"},
      {[](PackageConfig& c) { c.ferry.inputs[0].type = "complex"; }, "ferry.schema.inputs[0].type"},
      {[](PackageConfig& c) { c.ferry.inputs[0].columns.pop_back(); },
       "ferry.schema.inputs[0].columns"},
      {[](PackageConfig& c) { c.ferry.outputs[0].shape = {-2}; },
       "ferry.schema.outputs[0].shape[0]"},
      {[](PackageConfig& c) { c.ferry.dependencies[1].version = ">=1.0"; },
       "ferry.dependencies[1].version"},
      {[](PackageConfig& c) { c.ferry.reference_profile = "nope"; }, "ferry.referenceProfile"},
  };
  for (const auto& tc : cases) {
    PackageConfig c = Sample();
    tc.mutate(c);
    absl::Status s = ValidateConfig(c);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << tc.want;
    EXPECT_EQ(Msg(s).rfind(tc.want, 0), 0u) << Msg(s);
    EXPECT_FALSE(ParseConfig(SerializeConfig(c)).ok()) << tc.want;
  }
}

TEST(PackageConfigTest, ParseErrors) {
  static const struct {
    const char* json;
    const char* want;
  } cases[] = {
      {"nope", "config: Malformed JSON"},
      {"{}", "descriptor: required field is missing"},
      {"{\"descriptor\":{\"name\":\"m\"}}", "modelfs: required field is missing"},
      {"{\"descriptor\":{\"name\":\"m\"},\"modelfs\":{\"type\":\"tar\",\"diffIds\":[]}}",
       "modelfs.type"},
      {"{\"descriptor\":{\"name\":1},\"modelfs\":{\"type\":\"layers\",\"diffIds\":[]}}",
       "descriptor.name: expected a string"},
      {"{\"descriptor\":{\"name\":\"m\"},\"modelfs\":{\"type\":\"layers\",\"diffIds\":[]},"
       "\"ferry\":{\"metrics\":{\"a\":\"x\"}}}",
       "ferry.metrics.a: expected a number"},
      {"{\"descriptor\":{\"name\":\"m\"},\"modelfs\":{\"type\":\"layers\",\"diffIds\":[]},"
       "\"ferry\":{\"schema\":{\"inputs\":[{\"name\":\"a\"}]}}}",
       "ferry.schema.inputs[0].type: required field is missing"},
  };
  for (const auto& c : cases) {
    auto parsed = ParseConfig(c.json);
    ASSERT_FALSE(parsed.ok()) << c.json;
    EXPECT_NE(Msg(parsed.status()).find(c.want), std::string::npos) << parsed.status();
  }
}

TEST(PackageConfigTest, MergePartial) {
  PackageConfig c = Sample();
  auto doc = ParseJson(
      "{\"descriptor\":{\"description\":\"d\"},\"ferry\":{\"predictor\":{\"kind\":\"builtin\","
      "\"family\":\"linear\"}}}");
  ASSERT_TRUE(doc.ok());
  ASSERT_TRUE(MergePartialConfig(*doc, c).ok());
  EXPECT_EQ(c.descriptor.name, "churn");
  EXPECT_EQ(c.descriptor.description, "d");
  EXPECT_EQ(c.ferry.predictor->family, "linear");
  EXPECT_TRUE(ValidateConfig(c).ok());
}

TEST(PathsTest, ValidateRelativePath) {
  EXPECT_TRUE(ValidateRelativePath("a/b.txt", "p").ok());
  for (const char* bad : {"", "/etc/passwd", "../x", "a/../../x", "a//b", "./a", "a\\b"}) {
    EXPECT_FALSE(ValidateRelativePath(bad, "p").ok()) << bad;
  }
}

TEST(PackageConfigTest, AnMlflowPredictorKeepsItsBackendAndReason) {
  PackageConfig c;
  c.descriptor.name = "clf";
  c.ferry.predictor = PredictorEntry{"pyfunc",  "mlflow",  "xgboost",
                                     "MLmodel", "xgboost", "flavor xgboost runs natively"};
  auto parsed = ParseConfig(SerializeConfig(c));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->ferry.predictor->backend, "xgboost");
  EXPECT_EQ(parsed->ferry.predictor->reason, "flavor xgboost runs natively");
  EXPECT_EQ(parsed->ferry.predictor->flavor, "xgboost");
}

}  // namespace
}  // namespace ferry::package
