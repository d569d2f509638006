#include "app/families.h"

#include "runtime/recommender/recommender_family.h"
#include "runtime/xgboost/xgboost_family.h"

namespace ferry::app {

void RegisterFamilies(runtime::FamilyRegistry& registry) {
  runtime::AddCoreFamilies(registry);
  registry.Add(runtime::NewXgboostFamily());
  registry.Add(runtime::NewRecommenderFamily());
}

}  // namespace ferry::app
