#pragma once
// The model families this binary serves and trains, registered here, in the composition
// root: runtime's core families (linear, logistic) and the separate libraries (xgboost over
// libxgboost, the session recommender). runtime links none of the optional ones.

#include "runtime/family.h"

namespace ferry::app {

// Adds every family Ferry ships: linear, logistic, xgboost, recommender.
void RegisterFamilies(runtime::FamilyRegistry& registry);

}  // namespace ferry::app
