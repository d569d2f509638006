#include "runtime/xgboost/c_export_trees.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include "common/fs.h"
#include "common/json.h"
#include "runtime/xgboost/testing/xgb_test_util.h"
#include "runtime/xgboost/xgboost_family.h"
#include "runtime/xgboost/xgboost_model.h"

namespace ferry::runtime::xgboost {
namespace {

using testing::TempDir;

// Reads rows of <MODEL>_N_FEATURES numbers ("nan" for missing) from stdin and prints the
// outputs of each row on one line.
constexpr char kDriver[] = R"(#include <stdio.h>
#include "model.h"
int main(void) {
  double x[MODEL_N_FEATURES], out[MODEL_N_OUTPUTS];
  size_t i;
  for (;;) {
    for (i = 0; i < MODEL_N_FEATURES; ++i) {
      if (scanf("%lf", &x[i]) != 1) return 0;
    }
    if (model_predict(x, MODEL_N_FEATURES, out) != 0) return 2;
    for (i = 0; i < MODEL_N_OUTPUTS; ++i) printf("%.17g ", out[i]);
    printf("\n");
    if (model_predict(x, MODEL_N_FEATURES + 1, out) != -1) return 3;
  }
}
)";

// Compiles the exported model with the driver and runs it on `rows`; one vector per row.
std::vector<std::vector<double>> RunExported(const std::string& dir,
                                             const std::vector<std::vector<double>>& rows) {
  EXPECT_TRUE(WriteFileAtomic(dir + "/main.c", kDriver).ok());
  std::ostringstream exact;
  exact.precision(17);
  for (const auto& r : rows) {
    for (double v : r) {
      if (std::isnan(v)) {
        exact << "nan ";
      } else {
        exact << v << ' ';
      }
    }
    exact << '\n';
  }
  EXPECT_TRUE(WriteFileAtomic(dir + "/rows.txt", exact.str()).ok());
  const std::string cc = "cd " + dir +
                         " && gcc -std=c99 -pedantic -Wall -Wextra -Werror -O2 -o model_bin "
                         "main.c model.c -lm 2> gcc.log";
  EXPECT_EQ(std::system(cc.c_str()), 0) << ReadFile(dir + "/gcc.log").value_or("");
  EXPECT_EQ(std::system(("cd " + dir + " && ./model_bin < rows.txt > out.txt").c_str()), 0);
  std::vector<std::vector<double>> result;
  std::ifstream in(dir + "/out.txt");
  for (std::string line; std::getline(in, line);) {
    std::istringstream ls(line);
    std::vector<double> v;
    for (double d; ls >> d;) v.push_back(d);
    result.push_back(v);
  }
  return result;
}

struct Case {
  std::vector<std::vector<double>> rows;
  std::vector<std::vector<double>> expected;  // the Predictor's probabilities or predictions
};

Case PredictWithFamily(const std::string& model_dir, const Frame& f, bool probabilities) {
  auto p = NewXgboostFamily()->Load({model_dir, {}});
  EXPECT_TRUE(p.ok()) << p.status();
  const std::vector<std::string>& cols = (*p)->schema().inputs[0].columns;
  Case c;
  std::vector<double> flat;
  for (size_t i = 0; i < f.rows(); ++i) {
    std::vector<double> r;
    for (const std::string& name : cols) r.push_back(f.Find(name)->numbers[i]);
    flat.insert(flat.end(), r.begin(), r.end());
    c.rows.push_back(r);
  }
  std::vector<Tensor> out;
  const int64_t n = static_cast<int64_t>(f.rows());
  const int64_t nf = static_cast<int64_t>(cols.size());
  EXPECT_TRUE((*p)->Predict({MakeFp64Tensor("input", {n, nf}, flat)}, out).ok());
  const Tensor& t = out.back();
  const int64_t width = probabilities ? t.shape[1] : 1;
  for (int64_t i = 0; i < n; ++i) {
    std::vector<double> e;
    if (!probabilities) {
      e.push_back(t.As<double>()[i]);
    } else if (width == 2) {
      e.push_back(t.As<double>()[2 * i + 1]);  // binary: P(class 1)
    } else {
      for (int64_t k = 0; k < width; ++k) e.push_back(t.As<double>()[i * width + k]);
    }
    c.expected.push_back(e);
  }
  return c;
}

void ExpectSame(const Case& c, const std::vector<std::vector<double>>& got) {
  ASSERT_EQ(got.size(), c.expected.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].size(), c.expected[i].size()) << "row " << i;
    for (size_t k = 0; k < got[i].size(); ++k) {
      EXPECT_NEAR(got[i][k], c.expected[i][k], 1e-6) << "row " << i << " output " << k;
    }
  }
}

absl::Status Train(const Frame& train, std::map<std::string, std::string> params,
                   const std::string& dir) {
  return NewXgboostFamily()
      ->NewTrainer()
      ->Train({&train, nullptr, "target", std::move(params), dir, {}})
      .status();
}

// Appends, for each tree, a copy of row 0 with the root's split feature set to the largest
// double below the (float) split condition.
void AddRowsAtRootSplits(const std::string& model_dir, Frame& f) {
  auto m = LoadModelDir(model_dir, {});
  ASSERT_TRUE(m.ok()) << m.status();
  auto dumps = m->booster.DumpJson();
  ASSERT_TRUE(dumps.ok());
  const std::vector<std::string>& features = m->info.features;
  for (const std::string& dump : *dumps) {
    auto tree = ParseJson(dump);
    ASSERT_TRUE(tree.ok());
    const JsonValue* split = tree->Find("split");
    const JsonValue* cond = tree->Find("split_condition");
    if (split == nullptr || cond == nullptr) continue;  // a single-leaf tree
    const size_t feature = std::stoul(split->as_string().substr(1));
    const float t = static_cast<float>(cond->as_double());
    const double below = std::nextafter(static_cast<double>(t), -INFINITY);
    ASSERT_EQ(static_cast<float>(below), t);
    for (Column& c : f.columns) {
      c.numbers.push_back(c.name == features[feature] ? below : c.numbers[0]);
    }
  }
}

TEST(CExportTrees, BreastCancer300TreesMatchesPredictor) {
  Frame all = testing::ReadNumericCsv(testing::DataPath("breast_cancer.csv"));
  auto [train, test] = testing::SplitEveryK(all, 4);
  // Missing values in training and scoring rows exercise the default directions.
  std::mt19937 rng(11);
  for (Frame* f : {&train, &test}) {
    for (Column& c : f->columns) {
      if (c.name == "target") continue;
      for (double& v : c.numbers) {
        if (rng() % 10 == 0) v = std::nan("");
      }
    }
  }
  TempDir dir;
  const std::string model = dir.Sub("model"), out = dir.Sub("c");
  ASSERT_TRUE(Train(train, {{"n_estimators", "300"}, {"max_depth", "4"}}, model).ok());
  ASSERT_TRUE(ExportTreesC(model, out, "model").ok());
  // Rows just below each tree's root split in double but equal to it in float: they go left
  // in double arithmetic and right in xgboost's, so they check the float comparison.
  AddRowsAtRootSplits(model, test);
  Case c = PredictWithFamily(model, test, true);
  ExpectSame(c, RunExported(out, c.rows));
}

Frame ThreeClasses(size_t rows, bool regression) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(-1, 1);
  Frame f = testing::NumericFrame({"a", "b", "target"});
  for (size_t i = 0; i < rows; ++i) {
    double a = u(rng), b = u(rng);
    f.columns[0].numbers.push_back(i % 7 == 0 ? std::nan("") : a);
    f.columns[1].numbers.push_back(b);
    f.columns[2].numbers.push_back(regression ? a * a + b : a > 0.3 ? 2 : b > 0 ? 1 : 0);
  }
  return f;
}

TEST(CExportTrees, MultiClassSoftmaxAndRegression) {
  struct {
    bool regression;
    const char* objective;
  } cases[] = {{false, "multi:softprob"}, {true, "reg:squarederror"}};
  for (const auto& tc : cases) {
    Frame f = ThreeClasses(400, tc.regression);
    TempDir dir;
    const std::string model = dir.Sub("model"), out = dir.Sub("c");
    ASSERT_TRUE(Train(f, {{"n_estimators", "40"}, {"objective", tc.objective}}, model).ok());
    ASSERT_TRUE(ExportTreesC(model, out, "model").ok()) << tc.objective;
    Case c = PredictWithFamily(model, f, !tc.regression);
    ExpectSame(c, RunExported(out, c.rows));
  }
}

TEST(CExportTrees, RejectsBadPrefixAndMissingModel) {
  TempDir dir;
  EXPECT_EQ(ExportTreesC(dir.path(), dir.path(), "1bad").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ExportTreesC(dir.path(), dir.path(), "ok").code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace ferry::runtime::xgboost
