#include "runtime/external/external_trainer.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/fs.h"
#include "runtime/external/frame_csv.h"
#include "runtime/xgboost/testing/xgb_test_util.h"
#include "runtime/xgboost/xgboost_family.h"

namespace ferry::runtime {
namespace {

using testing::TempDir;

class ExternalTrainerTest : public ::testing::Test {
 protected:
  ExternalTrainerTest() { families_.Add(NewXgboostFamily()); }

  absl::StatusOr<TrainResult> Train(const Frame& train, const Frame& test,
                                    std::map<std::string, std::string> params) {
    return NewExternalTrainer(families_)->Train(
        {&train, &test, "target", std::move(params), out_.path(), {}});
  }

  FamilyRegistry families_;
  TempDir out_;
};

bool PythonHasXgboost() {
  return std::system("/usr/bin/python3 -c 'import xgboost' >/dev/null 2>&1") == 0;
}

TEST_F(ExternalTrainerTest, PythonXgboostScriptProducesAServableModel) {
  if (!PythonHasXgboost()) GTEST_SKIP() << "python3-xgboost is not installed";
  Frame all = testing::ReadNumericCsv(testing::DataPath("breast_cancer.csv"));
  auto [train, test] = testing::SplitEveryK(all, 5);
  const std::string script = testing::DataPath("trainers/xgboost_trainer.py");
  auto r = Train(train, test,
                 {{"command", "[\"/usr/bin/python3\", \"" + script + "\"]"},
                  {"predictor_family", "xgboost"},
                  {"n_estimators", "30"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->format, "external/xgboost");
  EXPECT_GT(r->metrics.at("accuracy"), 0.9);
  // The feature names saved by the Python side name the served model's input columns.
  ASSERT_EQ(r->schema.inputs.size(), 1u);
  EXPECT_EQ(r->schema.inputs[0].columns.front(), "mean_radius");
  EXPECT_EQ(r->schema.inputs[0].columns.size(), 30u);
  auto p = families_.Find("xgboost")->Load({out_.path(), r->schema});
  ASSERT_TRUE(p.ok()) << p.status();
  std::vector<double> row;
  for (const std::string& c : r->schema.inputs[0].columns) row.push_back(test.Find(c)->numbers[0]);
  std::vector<Tensor> out;
  ASSERT_TRUE((*p)->Predict({MakeFp64Tensor("input", {1, 30}, row)}, out).ok());
  EXPECT_EQ(out[0].As<int64_t>()[0], test.Find("target")->numbers[0]);
}

TEST_F(ExternalTrainerTest, CommandSeesDataTargetParamsAndOutputDir) {
  Frame train = testing::NumericFrame({"x", "target"});
  train.columns[0].numbers = {1.5, std::nan("")};
  train.columns[1].numbers = {0, 1};
  Frame empty;
  // The command records what it saw, then writes no model: the load must fail.
  auto r = Train(train, empty,
                 {{"command",
                   "cp \"$FERRY_DATA\" \"$FERRY_OUTPUT_DIR/train.csv\" && "
                   "cp \"$FERRY_TEST_DATA\" \"$FERRY_OUTPUT_DIR/test.csv\" && "
                   "printf '%s|%s' \"$FERRY_TARGET\" \"$FERRY_PARAMS_JSON\" > "
                   "\"$FERRY_OUTPUT_DIR/env.txt\""},
                  {"predictor_family", "xgboost"},
                  {"depth", "3"}});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("not a xgboost model"), std::string::npos) << r.status();
  EXPECT_EQ(ReadFile(out_.path() + "/train.csv").value_or(""), "x,target\n1.5,0\n,1\n");
  EXPECT_EQ(ReadFile(out_.path() + "/test.csv").value_or(""), "x,target\n");
  EXPECT_EQ(ReadFile(out_.path() + "/env.txt").value_or(""), "target|{\"depth\":\"3\"}");
}

TEST_F(ExternalTrainerTest, FailureNamesExitCodeAndOutputTail) {
  Frame train = testing::NumericFrame({"x", "target"});
  std::string noise = "for i in $(seq 1 2000); do echo line$i; done; ";
  auto r = Train(
      train, train,
      {{"command", noise + "echo 'bad things' >&2; exit 3"}, {"predictor_family", "xgboost"}});
  ASSERT_EQ(r.status().code(), absl::StatusCode::kInternal);
  const std::string msg(r.status().message());
  EXPECT_NE(msg.find("exited with code 3"), std::string::npos) << msg;
  EXPECT_NE(msg.find("bad things"), std::string::npos);
  EXPECT_NE(msg.find("line2000"), std::string::npos);
  EXPECT_EQ(msg.find("line1\n"), std::string::npos);  // only the tail is kept
  EXPECT_LT(msg.size(), 4096u + 200u);
}

TEST_F(ExternalTrainerTest, TimeoutKillsTheProcessGroup) {
  Frame train = testing::NumericFrame({"x", "target"});
  // The sleep is a grandchild holding the output pipe: the whole group must die.
  auto r = Train(train, train,
                 {{"command", "echo started; sleep 60 & wait"},
                  {"predictor_family", "xgboost"},
                  {"timeout", "0.3"}});
  ASSERT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded) << r.status();
  EXPECT_NE(r.status().message().find("started"), std::string::npos);
}

TEST_F(ExternalTrainerTest, RejectsBadParams) {
  Frame train = testing::NumericFrame({"x", "target"});
  auto r = Train(train, train, {{"predictor_family", "xgboost"}});
  EXPECT_NE(r.status().message().find("\"command\" is required"), std::string::npos);
  r = Train(train, train, {{"command", "true"}, {"predictor_family", "nope"}});
  EXPECT_NE(r.status().message().find("expected one of xgboost"), std::string::npos);
  r = Train(train, train, {{"command", "[1, 2]"}, {"predictor_family", "xgboost"}});
  EXPECT_NE(r.status().message().find("JSON array of strings"), std::string::npos);
  r = Train(train, train,
            {{"command", "true"}, {"predictor_family", "xgboost"}, {"timeout", "-1"}});
  EXPECT_NE(r.status().message().find("\"timeout\""), std::string::npos);
  r = Train(train, train, {{"command", "[\"/no/such/program\"]"}, {"predictor_family", "xgboost"}});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("/no/such/program"), std::string::npos);
}

TEST(FrameCsv, QuotesTextAndWritesExactNumbers) {
  Frame f = testing::NumericFrame({"n", "s"});
  f.columns[1].numeric = false;
  f.columns[0].numbers = {0.1, 1e300, -3};
  f.columns[1].strings = {"a,b", "say \"hi\"", ""};
  EXPECT_EQ(external::FrameToCsv(f),
            "n,s\n0.10000000000000001,\"a,b\"\n1.0000000000000001e+300,\"say \"\"hi\"\"\"\n-3,\n");
}

}  // namespace
}  // namespace ferry::runtime
