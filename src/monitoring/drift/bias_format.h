#pragma once
// Serialisations of a BiasReport: JSON, plain text, and an HTML section for the report page.
// Pure.

#include <optional>
#include <string>

#include "monitoring/drift/bias.h"

namespace ferry::monitoring {

// {"task": "classification"|"regression", "segment": COL, "positive": V|null,
//  "segments": [{"segment": V, "count": n, "labelled": n, "positive_rate": f |
//  "prediction_mean": f, "accuracy": f|null, "recall": f|null | "rmse": f|null,
//  "mae": f|null}], "gaps": {NAME: f|null}, "threshold": f|null,
//  "gaps_over_threshold": [NAME]}
std::string BiasToJson(const BiasReport& report, const std::string& segment_column,
                       std::optional<double> threshold);

std::string BiasToText(const BiasReport& report, const std::string& segment_column,
                       std::optional<double> threshold);

// A <section id="bias"> with one table row per segment and the gaps; every data string
// escaped.
std::string BiasToHtml(const BiasReport& report, const std::string& segment_column,
                       std::optional<double> threshold);

}  // namespace ferry::monitoring
