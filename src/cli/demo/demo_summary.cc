#include "cli/demo/demo_summary.h"

#include <cmath>
#include <cstdio>

#include "common/json_writer.h"

namespace ferry::cli::demo {
namespace {

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, std::isfinite(v) ? v : 0.0);
  return buf;
}

void WriteDrift(JsonWriter& w, const DriftReport& d) {
  w.Key("drift").BeginObject();
  w.FieldBool("detected", d.detected);
  w.Field("kind", d.kind);
  w.Field("message", d.message);
  w.Key("window").Uint(d.window);
  w.FieldDouble("drift_share", d.drift_share);
  w.FieldDouble("seconds_after_change", d.seconds_after_change);
  w.Key("columns").BeginArray();
  for (const DriftColumn& c : d.columns) {
    w.BeginObject()
        .Field("name", c.name)
        .Field("stattest", c.stattest)
        .FieldDouble("statistic", c.statistic)
        .FieldDouble("threshold", c.threshold)
        .EndObject();
  }
  w.EndArray().EndObject();
}

}  // namespace

std::string SummaryJson(const DemoSummary& s) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.FieldBool("drift_detected", s.drift.detected);
  w.Field("model", s.model);
  w.Field("first_version", s.first_version);
  w.Field("promoted_version", s.promoted_version);
  w.Field("promotion", s.promotion);
  w.Key("requests_served").Uint(s.requests_served);
  w.Key("requests_failed").Uint(s.requests_failed);
  w.Key("new_version_requests").Uint(s.new_version_requests);
  w.FieldDouble("seconds", std::round(s.seconds * 10) / 10);
  w.Field("maturity_level", static_cast<int64_t>(s.maturity_level));
  w.Field("maturity_score", s.maturity_score);
  w.Key("maturity_missing").BeginArray();
  for (const std::string& m : s.maturity_missing) w.String(m);
  w.EndArray();
  w.Field("tabular_model", s.tabular_model);
  w.Field("tabular_version", s.tabular_version);
  WriteDrift(w, s.drift);
  w.Field("server_url", s.server_url);
  w.Field("dir", s.dir);
  w.EndObject();
  out += '\n';
  return out;
}

std::string SummaryText(const DemoSummary& s) {
  std::string out = "\nSummary\n";
  out += "  model          " + s.model + ": version " + s.first_version + " -> " +
         s.promoted_version + " (" + s.promotion + ")\n";
  if (!s.tabular_model.empty()) {
    out += "  tabular model  " + s.tabular_model + " version " + s.tabular_version + "\n";
  }
  if (s.drift.detected) {
    out += "  drift          " + s.drift.kind + " in window " + std::to_string(s.drift.window) +
           ", " + Fixed(s.drift.seconds_after_change, 1) + " s after the catalogue changed\n";
    for (const DriftColumn& c : s.drift.columns) {
      out += "                 " + c.name + ": " + c.stattest + " " + Fixed(c.statistic, 3) +
             " (threshold " + Fixed(c.threshold, 3) + ")\n";
    }
  } else {
    out += "  drift          not detected\n";
  }
  out += "  requests       " + std::to_string(s.requests_served) + " served, " +
         std::to_string(s.requests_failed) + " failed (" + std::to_string(s.new_version_requests) +
         " answered by version " + s.promoted_version + ")\n";
  out += "  time           " + Fixed(s.seconds, 1) + " s\n";
  out += "  maturity       " +
         (s.maturity_level < 0 ? std::string("not assessed")
                               : "MLOps level " + std::to_string(s.maturity_level)) +
         (s.maturity_score.empty() ? "" : ", ML Test Score " + s.maturity_score) + "\n";
  for (const std::string& m : s.maturity_missing) out += "                 missing: " + m + "\n";
  return out;
}

}  // namespace ferry::cli::demo
