#pragma once
// Google's MLOps levels 0/1/2 from the signals (levels.cc).

#include <vector>

#include "pipeline/maturity/maturity.h"
#include "pipeline/maturity/signals.h"

namespace ferry::pipeline::maturity {

// The level-1 and level-2 characteristics, met or not, with evidence or what is missing.
std::vector<Characteristic> Characteristics(const Signals& g);
// 2 when all are met, 1 when the level-1 ones are, else 0.
int Level(const std::vector<Characteristic>& c);

}  // namespace ferry::pipeline::maturity
