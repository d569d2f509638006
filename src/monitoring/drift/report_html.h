#pragma once
// The drift report: one self-contained HTML page (inline CSS and SVG, no script, no external
// resource; a Content-Security-Policy of default-src 'none' keeps it off the network).
// Evidently's DatasetDriftMetric headline and counters, then its DataDriftTable: Column,
// Type, reference-vs-current histogram, Data Drift, Stat Test, Drift Score, drifted columns
// first. Every string from the data is HTML-escaped. Pure.

#include <string>
#include <string_view>

#include "core/frame.h"
#include "monitoring/drift/drift_engine.h"
#include "monitoring/profile/dataset_profile.h"

namespace ferry::monitoring {

// Escapes & < > " ' and replaces bytes that are not well-formed UTF-8 (and control
// characters other than tab and newline) with U+FFFD.
std::string HtmlEscape(std::string_view text);

struct ReportInfo {
  std::string reference_name;  // shown as given (e.g. the file name)
  std::string current_name;
  std::string extra_sections;  // trusted HTML appended after the drift table (e.g. bias)
  std::string note;            // shown (escaped) under the names, e.g. "the reference is a profile"
};

// `drift` must come from ComputeDrift(reference, current, ...).
std::string RenderDriftReport(const DatasetDrift& drift, const Frame& reference,
                              const Frame& current, const ReportInfo& info);

// `drift` must come from ComputeProfileDrift(reference, current, ...): the histograms are
// estimated from the KLL sketches (numerical columns) and frequent items (categorical ones).
std::string RenderProfileDriftReport(const DatasetDrift& drift, const DatasetProfile& reference,
                                     const DatasetProfile& current, const ReportInfo& info);

}  // namespace ferry::monitoring
