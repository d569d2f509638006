#include "runtime/xgboost/xgboost_family.h"

#include "runtime/xgboost/xgboost_predictor.h"
#include "runtime/xgboost/xgboost_trainer.h"

namespace ferry::runtime {
namespace {

class XgboostFamily : public Family {
 public:
  // Family
  std::string_view name() const override { return "xgboost"; }
  TrainerPtr NewTrainer() const override { return xgb::NewXgboostTrainer(); }
  absl::StatusOr<PredictorPtr> Load(const ModelFiles& files) const override {
    std::vector<std::string> hint;
    if (files.schema.inputs.size() == 1) hint = files.schema.inputs[0].columns;
    return xgb::LoadXgboostPredictor(files.dir, hint);
  }
};

}  // namespace

FamilyPtr NewXgboostFamily() { return std::make_unique<XgboostFamily>(); }

}  // namespace ferry::runtime
