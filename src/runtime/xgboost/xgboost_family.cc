#include "runtime/xgboost/xgboost_family.h"

#include "runtime/xgboost/c_export_trees.h"
#include "runtime/xgboost/xgboost_predictor.h"
#include "runtime/xgboost/xgboost_trainer.h"

namespace ferry::runtime {
namespace {

class XgboostFamily : public Family {
 public:
  // Family
  std::string_view name() const override { return "xgboost"; }
  TrainerPtr NewTrainer() const override { return xgboost::NewXgboostTrainer(); }
  absl::StatusOr<PredictorPtr> Load(const ModelFiles& files) const override {
    std::vector<std::string> hint;
    if (files.schema.inputs.size() == 1) hint = files.schema.inputs[0].columns;
    return xgboost::LoadXgboostPredictor(files.dir, hint);
  }
  absl::Status ExportC(const ModelFiles& files, const std::string& out_dir,
                       std::string_view symbol_prefix) const override {
    return xgboost::ExportTreesC(files.dir, out_dir, symbol_prefix);
  }
};

}  // namespace

FamilyPtr NewXgboostFamily() { return std::make_unique<XgboostFamily>(); }

}  // namespace ferry::runtime
