#pragma once
// An assessment as text (a table per part, for people) or JSON (for scripts and CI).

#include <string>

#include "pipeline/maturity/maturity.h"

namespace ferry::cli {

std::string MaturityText(const pipeline::maturity::Observations& o,
                         const pipeline::maturity::Assessment& a);
// {"dir", "server", "level", "score", "band", "sections": {"Data": x, ...},
//  "tests": [{id, section, name, score, evidence, missing}], "characteristics": [...]}
std::string MaturityJson(const pipeline::maturity::Observations& o,
                         const pipeline::maturity::Assessment& a);

}  // namespace ferry::cli
