#include "loader/mlflow_model.h"

#include <gtest/gtest.h>

#include <string>

#include "common/fs.h"
#include "common/testing/test_dir.h"
#include "loader/package_loader.h"
#include "package/build/builder.h"
#include "package/layout/oci_layout.h"
#include "package/trust/keys.h"
#include "package/trust/signature.h"
#include "runtime/mlflow/python_backend.h"

namespace ferry::loader {
namespace {

const std::string kFixtures = std::string(FERRY_TEST_DATA_DIR) + "/mlflow-models/";

bool Contains(absl::string_view s, absl::string_view part) {
  return s.find(part) != absl::string_view::npos;
}

absl::StatusOr<package::BuildResult> BuildFrom(const std::string& dir, const std::string& out,
                                               const std::string& name) {
  package::BuildOptions o;
  o.model_dir = dir;
  o.out_dir = out;
  o.name = name;
  o.created_at = "2026-01-01T00:00:00Z";
  o.describe = DescribeMlflowModel;
  return package::Build(o);
}

TEST(DescribeMlflowModelTest, RecordsBackendFlavorSchemaAndRequirements) {
  package::PackageConfig c;
  c.descriptor.name = "clf";
  ASSERT_TRUE(DescribeMlflowModel(kFixtures + "xgboost-clf", c).ok());
  ASSERT_TRUE(c.ferry.predictor.has_value());
  EXPECT_EQ(c.ferry.predictor->kind, "pyfunc");
  EXPECT_EQ(c.ferry.predictor->family, "mlflow");
  EXPECT_EQ(c.ferry.predictor->flavor, "xgboost");
  EXPECT_EQ(c.ferry.predictor->entry, "MLmodel");
  EXPECT_EQ(c.ferry.predictor->backend, "xgboost");
  EXPECT_TRUE(Contains(c.ferry.predictor->reason, "natively on libxgboost"));
  ASSERT_EQ(c.ferry.inputs.size(), 30u);
  EXPECT_EQ(c.ferry.inputs[0].name, "mean radius");
  EXPECT_EQ(c.ferry.inputs[0].type, "float64");
  EXPECT_EQ(c.ferry.outputs[0].type, "int64");
}

TEST(DescribeMlflowModelTest, LeavesOtherDirectoriesAlone) {
  testing::TestDir dir;
  package::PackageConfig c;
  ASSERT_TRUE(DescribeMlflowModel(dir.path(), c).ok());
  EXPECT_FALSE(c.ferry.predictor.has_value());
}

TEST(DescribeMlflowModelTest, AnOnnxOnlyModelFailsTheBuildNamingTheFlavor) {
  testing::TestDir dir;
  ASSERT_TRUE(
      WriteFileAtomic(JoinPath(dir.path(), "MLmodel"), "flavors:\n  onnx:\n    data: model.onnx\n")
          .ok());
  ASSERT_TRUE(WriteFileAtomic(JoinPath(dir.path(), "model.onnx"), "x").ok());
  auto r = BuildFrom(dir.path(), dir.path() + "/out.oci", "net");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(r.status().message(), "model net cannot be served: flavor onnx"))
      << r.status();
  EXPECT_FALSE(PathExists(dir.path() + "/out.oci"));
}

TEST(LoadModelSourceTest, ABareXgboostDirectoryLoadsNatively) {
  runtime::FamilyRegistry families;
  auto loaded = LoadModelSource(families, kFixtures + "xgboost-clf", {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->family, "mlflow-xgboost");
  EXPECT_EQ(loaded->contents.config.descriptor.name, "xgboost-clf");
  EXPECT_EQ(loaded->predictor->schema().inputs.size(), 30u);
}

TEST(LoadModelSourceTest, ABareSklearnDirectoryNeedsTrustThenThePythonBackend) {
  runtime::mlflow::SetPythonBackend(nullptr);
  runtime::FamilyRegistry families;
  auto refused = LoadModelSource(families, kFixtures + "sklearn-logreg", {});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(refused.status().message(),
            "model sklearn-logreg loads a pickle (model.pkl) and it is not in a signed package; "
            "sign the package (`ferry package sign`) and serve it under a trust policy "
            "(--trust-policy), or pass --allow-unsigned-pickle to load it anyway");
  LoadOptions allow;
  allow.allow_unsigned_pickle = true;
  auto no_backend = LoadModelSource(families, kFixtures + "sklearn-logreg", allow);
  ASSERT_FALSE(no_backend.ok());
  EXPECT_EQ(no_backend.status().message(),
            "model sklearn-logreg needs the Python worker backend (flavor sklearn via "
            "python_function), which this build does not have");
}

class SignedPackageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = std::make_unique<package::PrivateKey>(*package::PrivateKey::Generate());
    policy_ = std::make_unique<package::TrustPolicy>(
        package::TrustPolicy::ForKey(key_->Public(), "test"));
    runtime::mlflow::SetPythonBackend(
        [this](const runtime::python::PyfuncSpec& s,
               const ModelSchema&) -> absl::StatusOr<runtime::PredictorPtr> {
          ++python_loads_;
          seen_dir_ = s.model_dir;
          seen_pickle_ = ReadFile(JoinPath(s.model_dir, s.data)).value_or("");
          saw_mlmodel_ = PathExists(JoinPath(s.model_dir, "MLmodel"));
          return absl::UnavailableError("fake python backend");
        });
  }
  void TearDown() override { runtime::mlflow::SetPythonBackend(nullptr); }

  std::string Build(const std::string& fixture, bool sign) {
    const std::string out = dir_.path() + "/" + fixture + ".oci";
    auto r = BuildFrom(kFixtures + fixture, out, fixture);
    EXPECT_TRUE(r.ok()) << r.status();
    if (sign) {
      auto layout = package::OciLayout::Open(out);
      EXPECT_TRUE(layout.ok());
      EXPECT_TRUE(package::SignManifest(**layout, r->manifest, fixture, *key_).ok());
    }
    return out;
  }

  testing::TestDir dir_;
  std::unique_ptr<package::PrivateKey> key_;
  std::unique_ptr<package::TrustPolicy> policy_;
  runtime::FamilyRegistry families_;
  int python_loads_ = 0;
  std::string seen_dir_;
  std::string seen_pickle_;
  bool saw_mlmodel_ = false;
};

TEST_F(SignedPackageTest, AnXgboostPackageLoadsNativelyWithoutASignature) {
  auto loaded = LoadModelSource(families_, Build("xgboost-clf", false), {});
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->family, "mlflow-xgboost");
  EXPECT_EQ(python_loads_, 0);
}

TEST_F(SignedPackageTest, AnUnsignedPicklePackageIsRefused) {
  LoadOptions o;
  o.trust_policy = policy_.get();
  auto loaded = LoadModelSource(families_, Build("sklearn-logreg", false), o);
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(Contains(loaded.status().message(),
                       "model sklearn-logreg loads a pickle (model.pkl) and its package's "
                       "signature did not verify: "))
      << loaded.status();
  EXPECT_TRUE(Contains(loaded.status().message(), "--allow-unsigned-pickle"));
  EXPECT_EQ(python_loads_, 0);
}

TEST_F(SignedPackageTest, ASignedPicklePackageReachesThePythonBackend) {
  LoadOptions o;
  o.trust_policy = policy_.get();
  auto loaded = LoadModelSource(families_, Build("sklearn-logreg", true), o);
  EXPECT_EQ(loaded.status().message(), "fake python backend");
  EXPECT_EQ(python_loads_, 1);
  auto fixture_pickle = ReadFile(kFixtures + "sklearn-logreg/model.pkl");
  ASSERT_TRUE(fixture_pickle.ok());
  EXPECT_EQ(seen_pickle_, *fixture_pickle);  // the unpacked MLflow directory, intact
  EXPECT_TRUE(saw_mlmodel_);
  EXPECT_FALSE(PathExists(seen_dir_));  // a failed load leaves no directory behind
}

class EmptyPredictor : public runtime::Predictor {
 public:
  const ModelSchema& schema() const override { return schema_; }
  absl::Status Predict(const std::vector<Tensor>&, std::vector<Tensor>&) const override {
    return absl::OkStatus();
  }

 private:
  ModelSchema schema_;
};

TEST_F(SignedPackageTest, ThePythonModelsDirectoryLivesAsLongAsItsPredictor) {
  std::string dir;
  runtime::mlflow::SetPythonBackend(
      [&dir](const runtime::python::PyfuncSpec& s,
             const ModelSchema&) -> absl::StatusOr<runtime::PredictorPtr> {
        dir = s.model_dir;
        return runtime::PredictorPtr(std::make_unique<EmptyPredictor>());
      });
  LoadOptions o;
  o.trust_policy = policy_.get();
  auto loaded = LoadModelSource(families_, Build("pyfunc-custom", true), o);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->family, "mlflow-python");
  EXPECT_TRUE(PathExists(JoinPath(dir, "artifacts/weights.json")));
  loaded->predictor.reset();
  EXPECT_FALSE(PathExists(dir));
}

TEST_F(SignedPackageTest, ASignedPackageWithoutAPolicyIsRefused) {
  auto loaded = LoadModelSource(families_, Build("pyfunc-custom", true), {});
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(Contains(loaded.status().message(),
                       "loads a pickle (python_model.pkl) and no trust policy was given"))
      << loaded.status();
  EXPECT_EQ(python_loads_, 0);
}

TEST_F(SignedPackageTest, ATamperedPickleIsRefusedBeforePython) {
  const std::string out = Build("sklearn-logreg", true);
  // Flip a byte of the model.pkl blob in place.
  auto pickle = ReadFile(kFixtures + "sklearn-logreg/model.pkl");
  ASSERT_TRUE(pickle.ok());
  auto blobs = ListDir(out + "/blobs/sha256");
  ASSERT_TRUE(blobs.ok());
  bool flipped = false;
  for (const std::string& name : *blobs) {
    const std::string path = out + "/blobs/sha256/" + name;
    auto bytes = ReadFile(path);
    if (bytes.ok() && *bytes == *pickle) {
      std::string bad = *bytes;
      bad[bad.size() / 2] ^= 1;
      ASSERT_TRUE(WriteFileAtomic(path, bad).ok());
      flipped = true;
    }
  }
  ASSERT_TRUE(flipped);
  LoadOptions o;
  o.trust_policy = policy_.get();
  o.allow_unsigned_pickle = true;  // even so: the contents no longer match the package
  auto loaded = LoadModelSource(families_, out, o);
  ASSERT_FALSE(loaded.ok());
  EXPECT_TRUE(Contains(loaded.status().message(), "model.pkl")) << loaded.status();
  EXPECT_EQ(python_loads_, 0);
}

TEST_F(SignedPackageTest, PackageBackendAnswersFromTheMlmodelLayer) {
  for (const auto& [fixture, backend] :
       {std::pair<std::string, std::string>{"xgboost-clf", "xgboost"},
        {"sklearn-ridge", "python"}}) {
    auto layout = package::OciLayout::Open(Build(fixture, false));
    ASSERT_TRUE(layout.ok());
    auto contents = package::ReadPackage(**layout, "");
    ASSERT_TRUE(contents.ok()) << contents.status();
    auto info = PackageBackend(**layout, *contents);
    ASSERT_TRUE(info.ok()) << info.status();
    EXPECT_EQ(info->backend, backend) << fixture;
    EXPECT_EQ(info->reason, contents->config.ferry.predictor->reason) << fixture;
  }
}

}  // namespace
}  // namespace ferry::loader
