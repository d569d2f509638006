#pragma once
// The "xgboost" model family: gradient-boosted trees trained and served through libxgboost's
// C API. Model directory: model.ubj + ferry-xgboost.json as written by the trainer, or a bare
// model.json / model.ubj saved by any xgboost (see xgboost_model.h).

#include "runtime/family.h"

namespace ferry::runtime {

FamilyPtr NewXgboostFamily();

}  // namespace ferry::runtime
