#include "runtime/c_export.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "common/fs.h"
#include "runtime/linear_family.h"
#include "runtime/split.h"
#include "runtime/testing/linear_test_util.h"

namespace ferry::runtime {
namespace {

using testing::LoadDataSet;
using testing::NewTempDir;
using testing::TrainOn;

// Reads rows of N_FEATURES numbers from stdin; prints the return value and the outputs.
constexpr char kDriver[] = R"(#include <stdio.h>
#include "model.h"
int main(void) {
  double x[MODEL_N_FEATURES], out[MODEL_N_OUTPUTS];
  int i, ret;
  for (;;) {
    for (i = 0; i < MODEL_N_FEATURES; ++i) {
      if (scanf("%lf", &x[i]) != 1) return 0;
    }
    ret = model_predict(x, MODEL_N_FEATURES, out);
    printf("%d", ret);
    for (i = 0; i < MODEL_N_OUTPUTS; ++i) printf(" %.17g", out[i]);
    printf("\n");
    if (model_predict(x, MODEL_N_FEATURES - 1, out) != -1) return 3;
  }
}
)";

bool HaveGcc() { return std::system("gcc --version > /dev/null 2>&1") == 0; }

struct Case {
  const char* file;
  bool logistic;
};

class CExportTest : public ::testing::TestWithParam<Case> {};

TEST_P(CExportTest, CompiledCodeMatchesPredictor) {
  if (!HaveGcc()) GTEST_SKIP() << "gcc not installed";
  Frame data = LoadDataSet(GetParam().file);
  auto split = SplitFrame(data);
  ASSERT_TRUE(split.ok());
  LinearTrainer trainer(GetParam().logistic);
  auto t = TrainOn(trainer, split->train, &split->test);
  ASSERT_TRUE(t.result.ok()) << t.result.status();
  std::string family = GetParam().logistic ? "logistic" : "linear";
  ModelFiles files{t.dir, t.result->schema};

  std::string out_dir = NewTempDir();
  FamilyRegistry families;
  AddCoreFamilies(families);
  ASSERT_TRUE(ExportC(families, files, family, out_dir, "model").ok());
  {
    std::ofstream main_c(out_dir + "/main.c");
    main_c << kDriver;
  }
  std::string build = "cd " + out_dir +
                      " && gcc -std=c99 -Wall -Wextra -Werror -pedantic -O2 -o driver main.c "
                      "model.c -lm 2> gcc.log";
  ASSERT_EQ(std::system(build.c_str()), 0) << *ReadFile(out_dir + "/gcc.log");

  // The test rows, raw, in the model's feature order.
  const std::vector<std::string>& features = trainer.model().features;
  std::ostringstream rows;
  char buf[32];
  size_t n = split->test.rows();
  for (size_t i = 0; i < n; ++i) {
    for (const std::string& name : features) {
      std::snprintf(buf, sizeof(buf), "%.17g ", split->test.Find(name)->numbers[i]);
      rows << buf;
    }
    rows << "\n";
  }
  ASSERT_TRUE(WriteFileAtomic(out_dir + "/rows.txt", rows.str()).ok());
  ASSERT_EQ(std::system(("cd " + out_dir + " && ./driver < rows.txt > out.txt").c_str()), 0);

  auto predictor = (GetParam().logistic ? NewLogisticFamily() : NewLinearFamily())->Load(files);
  ASSERT_TRUE(predictor.ok());
  std::vector<double> x;
  for (size_t i = 0; i < n; ++i) {
    for (const std::string& name : features) x.push_back(split->test.Find(name)->numbers[i]);
  }
  std::vector<Tensor> outputs;
  ASSERT_TRUE(
      (*predictor)
          ->Predict(
              {MakeFp64Tensor("input",
                              {static_cast<int64_t>(n), static_cast<int64_t>(features.size())}, x)},
              outputs)
          .ok());
  const Tensor& values = GetParam().logistic ? outputs[1] : outputs[0];
  size_t width = GetParam().logistic ? trainer.model().n_classes() : 1;

  std::istringstream got(*ReadFile(out_dir + "/out.txt"));
  for (size_t i = 0; i < n; ++i) {
    int ret = -2;
    ASSERT_TRUE(got >> ret) << "row " << i;
    if (GetParam().logistic) {
      EXPECT_EQ(ret, trainer.test_evaluation().labels[i]) << "row " << i;
    } else {
      EXPECT_EQ(ret, 0);
    }
    for (size_t k = 0; k < width; ++k) {
      double v = 0;
      ASSERT_TRUE(got >> v);
      double want = values.As<double>()[i * width + k];
      EXPECT_NEAR(v, want, 1e-12 * std::max(1.0, std::abs(want))) << "row " << i << " k " << k;
    }
  }
  std::string rest;
  EXPECT_FALSE(got >> rest);  // exactly n rows
}

INSTANTIATE_TEST_SUITE_P(Families, CExportTest,
                         ::testing::Values(Case{"breast_cancer.csv", true}, Case{"wine.csv", true},
                                           Case{"diabetes.csv", false}));

// A family without a C exporter (Family::ExportC's default).
class NoExportFamily : public Family {
 public:
  std::string_view name() const override { return "noexport"; }
  TrainerPtr NewTrainer() const override { return nullptr; }
  absl::StatusOr<PredictorPtr> Load(const ModelFiles&) const override {
    return absl::UnimplementedError("no");
  }
};

TEST(CExportErrorsTest, BadPrefixAndFamilies) {
  ModelFiles files{NewTempDir(), {}};
  std::string out = NewTempDir();
  FamilyRegistry f;
  AddCoreFamilies(f);
  f.Add(std::make_unique<NoExportFamily>());
  EXPECT_EQ(ExportC(f, files, "linear", out, "9lives").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExportC(f, files, "linear", out, "a-b").code(), absl::StatusCode::kInvalidArgument);
  // runtime alone knows no xgboost (app registers it).
  EXPECT_EQ(ExportC(f, files, "xgboost", out, "m").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExportC(f, files, "noexport", out, "m").code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(ExportC(f, files, "linear", out, "m").code(), absl::StatusCode::kNotFound);  // no model
  EXPECT_FALSE(PathExists(out + "/m.c"));
}

}  // namespace
}  // namespace ferry::runtime
