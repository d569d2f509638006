#include "pipeline/maturity/maturity.h"

#include <algorithm>

#include "pipeline/maturity/levels.h"
#include "pipeline/maturity/ml_test_score.h"
#include "pipeline/maturity/signals.h"

namespace ferry::pipeline::maturity {

std::string ScoreBand(double score) {
  if (score <= 0) return "research project";
  if (score <= 1) return "not totally untested, possible serious holes";
  if (score <= 2) return "first pass at productionization";
  if (score <= 3) return "reasonably tested";
  if (score <= 5) return "strong, suitable for mission-critical systems";
  return "exceptional";
}

Assessment Assess(const Observations& o) {
  const Signals g = DeriveSignals(o);
  Assessment a;
  a.tests = ScoreTests(g);
  for (const char* section : {"Data", "Model", "Infra", "Monitor"}) {
    SectionScore s{section, 0};
    for (const auto& t : a.tests) {
      if (t.section == section) s.score += t.score;
    }
    a.sections.push_back(s);
  }
  a.score = a.sections[0].score;
  for (const auto& s : a.sections) a.score = std::min(a.score, s.score);
  a.band = ScoreBand(a.score);
  a.characteristics = Characteristics(g);
  a.level = Level(a.characteristics);
  return a;
}

}  // namespace ferry::pipeline::maturity
