#pragma once
// Model families (backends): each knows how to train (optionally) and how to load its model
// files into a Predictor. The registry maps the package's predictor family name to one.

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "core/model_schema.h"
#include "runtime/predictor.h"
#include "runtime/trainer.h"

namespace ferry::runtime {

// What Family::Load gets: the directory holding the model files (an unpacked package or a
// trainer's output_dir) and the schema recorded beside them.
struct ModelFiles {
  std::string dir;
  ModelSchema schema;
};

class Family {
 public:
  virtual ~Family() = default;
  // "linear", "logistic", "xgboost", "recommender", ...
  virtual std::string_view name() const = 0;
  // A new trainer, or nullptr for families that only load models (the caller reports
  // "family X cannot train").
  virtual TrainerPtr NewTrainer() const = 0;
  // Loads the model in `files.dir`. kInvalidArgument / kDataLoss naming the file and the
  // problem for unreadable or inconsistent model files.
  virtual absl::StatusOr<PredictorPtr> Load(const ModelFiles& files) const = 0;
  // Writes the model in `files.dir` as dependency-free C99 (runtime/c_export.h) to
  // `out_dir`/`symbol_prefix`.{h,c}; `symbol_prefix` is already checked. The default answers
  // kUnimplemented: most families have no C export.
  virtual absl::Status ExportC(const ModelFiles& files, const std::string& out_dir,
                               std::string_view symbol_prefix) const;
};
using FamilyPtr = std::unique_ptr<Family>;

// Not thread-safe while families are added; safe for concurrent Find afterwards.
class FamilyRegistry {
 public:
  void Add(FamilyPtr family);
  // nullptr when no family has that name.
  const Family* Find(std::string_view name) const;
  // Names in order, for help texts and errors.
  std::string Names() const;

 private:
  std::map<std::string, FamilyPtr, std::less<>> families_;
};

// Adds the families runtime itself provides, which need no third-party library: linear and
// logistic. The others (xgboost, recommender) are separate libraries that app registers
// (app/families.h); runtime does not link them.
void AddCoreFamilies(FamilyRegistry& registry);

// The families of this process. app fills it once at start-up (app::RegisterFamilies, called
// first in main) before any command runs; it is read-only, and safe for concurrent Find,
// afterwards. Commands below app that pick a family by name (the CLI's train and export-c)
// read it here, so that neither runtime nor cli names an optional family.
FamilyRegistry& ProcessFamilies();

}  // namespace ferry::runtime
