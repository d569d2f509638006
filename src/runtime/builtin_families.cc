// The families Ferry trains and serves out of the box.

#include "runtime/family.h"
#include "runtime/linear_family.h"
#include "runtime/recommender/recommender_family.h"
#include "runtime/xgboost/xgboost_family.h"

namespace ferry::runtime {

void AddBuiltinFamilies(FamilyRegistry& registry) {
  registry.Add(NewLinearFamily());
  registry.Add(NewLogisticFamily());
  registry.Add(NewXgboostFamily());
  registry.Add(NewRecommenderFamily());
}

}  // namespace ferry::runtime
