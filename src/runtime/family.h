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

// Adds every built-in family (linear, logistic, xgboost, recommender).
void AddBuiltinFamilies(FamilyRegistry& registry);

}  // namespace ferry::runtime
