#pragma once
// The planted-structure comparison behind recommender_planted_test and the recommender
// benchmark: generate sessions (runtime/sessions), split them by time (the latest sessions are
// the test set), train each method, and evaluate it beside the planted oracle (the generator's
// true next-item probabilities).

#include <string>
#include <vector>

#include "runtime/recommender/evaluation.h"
#include "runtime/recommender/recommender_model.h"
#include "runtime/sessions/session_generator.h"

namespace ferry::runtime::recommender::testing {

struct PlantedData {
  std::vector<std::vector<std::string>> train, test;  // item ids, sessions in time order
  int test_era = 0;                                   // the era of the last test session
};

// The last `test_fraction` of the sessions (by time) are the test set.
PlantedData MakePlanted(const sessions::SessionGenerator& g, double test_fraction);

// `test` as indices of `m`'s catalogue (-1 for items it does not know).
std::vector<Sequence> ToIndices(const Model& m, const std::vector<std::vector<std::string>>& test);

// The oracle ranks items by their true probability of coming next after the session's last
// item (in `era`), in `m`'s index space.
Scorer OracleScorer(const sessions::SessionGenerator& g, const Model& m, int era);

struct MethodResult {
  std::string name;
  Metrics metrics;
  double train_seconds = 0;
};

// Trains each of sr, vsknn, iknn, pop on data.train (`base` otherwise) and evaluates it on at
// most `max_events` test predictions; the oracle comes last ("oracle").
std::vector<MethodResult> CompareMethods(const sessions::SessionGenerator& g,
                                         const PlantedData& data, size_t max_events,
                                         const Params& base = {});

// One line per method: HR@1/5/10/20, MRR@20, coverage@20, training seconds.
std::string FormatResults(const std::vector<MethodResult>& results);

}  // namespace ferry::runtime::recommender::testing
