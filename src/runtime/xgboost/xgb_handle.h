#pragma once
// Thin RAII wrappers over libxgboost's C API handles, and the one place a C API error code
// becomes an absl::Status (with XGBGetLastError()).

#include <xgboost/c_api.h>

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry::runtime::xgboost {

// OK when `rc` is 0; otherwise kInternal "xgboost <what>: <XGBGetLastError()>".
absl::Status Check(int rc, std::string_view what);

// Owns a BoosterHandle. Movable, not copyable.
class Booster {
 public:
  Booster() = default;
  ~Booster();
  Booster(Booster&& other) noexcept : handle_(other.handle_) { other.handle_ = nullptr; }
  Booster& operator=(Booster&& other) noexcept;
  Booster(const Booster&) = delete;
  Booster& operator=(const Booster&) = delete;

  // A booster over `dmats` (for training), or an empty one to load a model into.
  static absl::StatusOr<Booster> Create(const std::vector<DMatrixHandle>& dmats);
  // Loads a model file saved by xgboost (".json" or ".ubj"; the format is picked by
  // xgboost from the extension).
  static absl::StatusOr<Booster> LoadFile(const std::string& path);

  BoosterHandle get() const { return handle_; }
  absl::Status SetParam(const std::string& name, const std::string& value);
  absl::Status Save(const std::string& path) const;
  // The learner's JSON configuration (objective, num_class, base_score, ...).
  absl::StatusOr<std::string> JsonConfig() const;
  absl::StatusOr<int> NumFeatures() const;
  // Feature names stored in the model (empty when it has none).
  absl::StatusOr<std::vector<std::string>> FeatureNames() const;
  // One JSON document per tree, without statistics.
  absl::StatusOr<std::vector<std::string>> DumpJson() const;

 private:
  explicit Booster(BoosterHandle h) : handle_(h) {}
  BoosterHandle handle_ = nullptr;
};

// Owns a DMatrixHandle built from a row-major float matrix (NaN = missing).
class DMatrix {
 public:
  DMatrix() = default;
  ~DMatrix();
  DMatrix(DMatrix&& other) noexcept : handle_(other.handle_) { other.handle_ = nullptr; }
  DMatrix& operator=(DMatrix&& other) noexcept;
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;

  static absl::StatusOr<DMatrix> FromDense(const std::vector<float>& values, size_t rows,
                                           size_t cols);
  absl::Status SetLabels(const std::vector<float>& labels);
  DMatrixHandle get() const { return handle_; }

 private:
  explicit DMatrix(DMatrixHandle h) : handle_(h) {}
  DMatrixHandle handle_ = nullptr;
};

}  // namespace ferry::runtime::xgboost
