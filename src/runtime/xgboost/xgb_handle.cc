#include "runtime/xgboost/xgb_handle.h"

#include <cmath>
#include <utility>

namespace ferry::runtime::xgboost {

absl::Status Check(int rc, std::string_view what) {
  if (rc == 0) return absl::OkStatus();
  const char* err = XGBGetLastError();
  std::string message = err == nullptr ? "unknown error" : err;
  // libxgboost appends a native stack trace; the first line says what went wrong.
  if (size_t cut = message.find("\nStack trace:"); cut != std::string::npos) {
    message.resize(cut);
  }
  return absl::InternalError("xgboost " + std::string(what) + ": " + message);
}

Booster::~Booster() {
  if (handle_ != nullptr) XGBoosterFree(handle_);
}

Booster& Booster::operator=(Booster&& other) noexcept {
  std::swap(handle_, other.handle_);
  return *this;
}

absl::StatusOr<Booster> Booster::Create(const std::vector<DMatrixHandle>& dmats) {
  BoosterHandle h = nullptr;
  RETURN_IF_ERROR(Check(XGBoosterCreate(dmats.data(), dmats.size(), &h), "create booster"));
  return Booster(h);
}

absl::StatusOr<Booster> Booster::LoadFile(const std::string& path) {
  ASSIGN_OR_RETURN(Booster b, Create({}));
  RETURN_IF_ERROR(Check(XGBoosterLoadModel(b.handle_, path.c_str()), "load " + path));
  return b;
}

absl::Status Booster::SetParam(const std::string& name, const std::string& value) {
  return Check(XGBoosterSetParam(handle_, name.c_str(), value.c_str()),
               "param \"" + name + "\"=\"" + value + "\"");
}

absl::Status Booster::Save(const std::string& path) const {
  return Check(XGBoosterSaveModel(handle_, path.c_str()), "save " + path);
}

absl::StatusOr<std::string> Booster::JsonConfig() const {
  bst_ulong len = 0;
  const char* out = nullptr;
  RETURN_IF_ERROR(Check(XGBoosterSaveJsonConfig(handle_, &len, &out), "save config"));
  return std::string(out, len);
}

absl::StatusOr<int> Booster::NumFeatures() const {
  bst_ulong n = 0;
  RETURN_IF_ERROR(Check(XGBoosterGetNumFeature(handle_, &n), "num features"));
  return static_cast<int>(n);
}

absl::StatusOr<std::vector<std::string>> Booster::FeatureNames() const {
  bst_ulong n = 0;
  const char** names = nullptr;
  RETURN_IF_ERROR(
      Check(XGBoosterGetStrFeatureInfo(handle_, "feature_name", &n, &names), "feature names"));
  return std::vector<std::string>(names, names + n);
}

absl::StatusOr<std::vector<std::string>> Booster::DumpJson() const {
  bst_ulong n = 0;
  const char** trees = nullptr;
  RETURN_IF_ERROR(
      Check(XGBoosterDumpModelEx(handle_, "", /*with_stats=*/0, "json", &n, &trees), "dump"));
  return std::vector<std::string>(trees, trees + n);
}

DMatrix::~DMatrix() {
  if (handle_ != nullptr) XGDMatrixFree(handle_);
}

DMatrix& DMatrix::operator=(DMatrix&& other) noexcept {
  std::swap(handle_, other.handle_);
  return *this;
}

absl::StatusOr<DMatrix> DMatrix::FromDense(const std::vector<float>& values, size_t rows,
                                           size_t cols) {
  DMatrixHandle h = nullptr;
  RETURN_IF_ERROR(Check(XGDMatrixCreateFromMat(values.data(), rows, cols, std::nanf(""), &h),
                        "create DMatrix"));
  return DMatrix(h);
}

absl::Status DMatrix::SetLabels(const std::vector<float>& labels) {
  return Check(XGDMatrixSetFloatInfo(handle_, "label", labels.data(), labels.size()), "set labels");
}

}  // namespace ferry::runtime::xgboost
