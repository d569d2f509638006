#include "monitoring/drift/drift_format.h"

#include <cfloat>
#include <cmath>
#include <cstdio>

#include "common/json_writer.h"

namespace ferry::monitoring {
namespace {

std::string Percent(double share) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g%%", std::round(share * 1000) / 10);
  return buf;
}

std::string Score(double v) {
  if (v >= DBL_MAX) return "inf";  // chisquare with a category absent from the reference
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

}  // namespace

std::string DriftToJson(const DatasetDrift& drift) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.FieldBool("dataset_drift", drift.dataset_drift);
  w.FieldDouble("drift_share", drift.drift_share);
  w.Field("number_of_columns", static_cast<int64_t>(drift.number_of_columns));
  w.Field("number_of_drifted_columns", static_cast<int64_t>(drift.number_of_drifted_columns));
  w.Key("columns").BeginObject();
  for (const ColumnDrift& c : drift.columns) {
    w.Key(c.name).BeginObject();
    w.Field("column_type", DriftColumnTypeName(c.type));
    w.Field("stattest", GetStatTestInfo(c.stattest).name);
    w.FieldDouble("statistic", c.statistic);
    w.Key("p_value");
    if (c.p_value) {
      w.Double(*c.p_value);
    } else {
      w.Null();
    }
    w.FieldDouble("threshold", c.threshold);
    w.FieldBool("drift_detected", c.drift_detected);
    w.EndObject();
  }
  w.EndObject();
  w.EndObject();
  out += '\n';
  return out;
}

std::string Printable(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  }
  return out;
}

std::string DriftTitle(const DatasetDrift& drift) {
  return "Drift is detected for " + Percent(drift.drift_share) + " of columns (" +
         std::to_string(drift.number_of_drifted_columns) + " out of " +
         std::to_string(drift.number_of_columns) + ")";
}

std::vector<const ColumnDrift*> DriftedFirst(const DatasetDrift& drift) {
  std::vector<const ColumnDrift*> out;
  for (const ColumnDrift& c : drift.columns) {
    if (c.drift_detected) out.push_back(&c);
  }
  for (const ColumnDrift& c : drift.columns) {
    if (!c.drift_detected) out.push_back(&c);
  }
  return out;
}

std::string DriftToText(const DatasetDrift& drift) {
  std::string out = drift.dataset_drift ? "Dataset drift detected" : "Dataset drift NOT detected";
  out += ": " + DriftTitle(drift) +
         "; dataset drift when the share is >= " + Score(drift.drift_share_threshold) + "\n";
  for (const ColumnDrift* c : DriftedFirst(drift)) {
    const StatTestInfo& info = GetStatTestInfo(c->stattest);
    out += "  " + Printable(c->name) + " (" + std::string(DriftColumnTypeName(c->type)) +
           "): " + (c->drift_detected ? "drift" : "no drift") + ", " + std::string(info.name) +
           " " +
           (c->p_value ? "p=" + Score(*c->p_value) + " statistic=" + Score(c->statistic)
                       : "distance=" + Score(c->statistic)) +
           ", threshold " + Score(c->threshold) + "\n";
  }
  for (const SkippedColumn& s : drift.skipped) {
    out += "  " + Printable(s.name) + ": not tested, " + s.reason + "\n";
  }
  return out;
}

}  // namespace ferry::monitoring
