#include "monitoring/drift/bias_format.h"

#include <cstdio>

#include "common/json_writer.h"
#include "monitoring/drift/drift_format.h"
#include "monitoring/drift/report_html.h"

namespace ferry::monitoring {
namespace {

std::string Num(std::optional<double> v) {
  if (!v) return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", *v);
  return buf;
}

void OptionalField(JsonWriter& w, std::string_view key, std::optional<double> v) {
  w.Key(key);
  if (v) {
    w.Double(*v);
  } else {
    w.Null();
  }
}

// The metric columns of one segment, as (name, value) pairs.
std::vector<std::pair<std::string, std::optional<double>>> Metrics(const BiasReport& r,
                                                                   const SegmentBias& s) {
  if (r.classification) {
    return {{"positive_rate", s.positive_rate}, {"accuracy", s.accuracy}, {"recall", s.recall}};
  }
  return {{"prediction_mean", s.prediction_mean}, {"rmse", s.rmse}, {"mae", s.mae}};
}

}  // namespace

std::string BiasToJson(const BiasReport& r, const std::string& segment_column,
                       std::optional<double> threshold) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject();
  w.Field("task", r.classification ? "classification" : "regression");
  w.Field("segment", segment_column);
  w.Key("positive");
  if (r.classification) {
    w.String(r.positive);
  } else {
    w.Null();
  }
  w.Key("segments").BeginArray();
  for (const SegmentBias& s : r.segments) {
    w.BeginObject();
    w.Field("segment", s.segment);
    w.Field("count", static_cast<int64_t>(s.count));
    w.Field("labelled", static_cast<int64_t>(s.labelled));
    for (const auto& [name, value] : Metrics(r, s)) OptionalField(w, name, value);
    w.EndObject();
  }
  w.EndArray();
  w.Key("gaps").BeginObject();
  for (const BiasGap& g : r.gaps) OptionalField(w, g.name, g.value);
  w.EndObject();
  OptionalField(w, "threshold", threshold);
  w.Key("gaps_over_threshold").BeginArray();
  if (threshold) {
    for (const std::string& name : GapsOver(r, *threshold)) w.String(name);
  }
  w.EndArray();
  w.EndObject();
  out += '\n';
  return out;
}

std::string BiasToText(const BiasReport& r, const std::string& segment_column,
                       std::optional<double> threshold) {
  std::string out = std::string(r.classification ? "Classification" : "Regression") + " bias by '" +
                    Printable(segment_column) + "'" +
                    (r.classification ? " (positive = '" + Printable(r.positive) + "')" : "") +
                    "\n";
  for (const SegmentBias& s : r.segments) {
    out += "  " + Printable(s.segment) + ": count " + std::to_string(s.count);
    for (const auto& [name, value] : Metrics(r, s)) out += ", " + name + " " + Num(value);
    out += "\n";
  }
  for (const BiasGap& g : r.gaps) out += "  " + g.name + " = " + Num(g.value) + "\n";
  if (threshold) {
    std::vector<std::string> over = GapsOver(r, *threshold);
    out += over.empty() ? "No gap exceeds " + Num(threshold) + "\n"
                        : std::to_string(over.size()) + " gap(s) exceed " + Num(threshold) + "\n";
  }
  return out;
}

std::string BiasToHtml(const BiasReport& r, const std::string& segment_column,
                       std::optional<double> threshold) {
  std::string out = "<section id=\"bias\"><h2>Bias by " + HtmlEscape(segment_column) + "</h2>";
  out += "<table id=\"bias-table\"><thead><tr><th>Segment</th><th>Count</th>";
  for (const auto& [name, value] : Metrics(r, SegmentBias{})) out += "<th>" + name + "</th>";
  out += "</tr></thead><tbody>";
  for (const SegmentBias& s : r.segments) {
    out += "<tr class=\"segment-row\"><td>" + HtmlEscape(s.segment) + "</td><td>" +
           std::to_string(s.count) + "</td>";
    for (const auto& [name, value] : Metrics(r, s)) out += "<td>" + Num(value) + "</td>";
    out += "</tr>";
  }
  out += "</tbody></table><ul id=\"bias-gaps\">";
  std::vector<std::string> over = threshold ? GapsOver(r, *threshold) : std::vector<std::string>{};
  for (const BiasGap& g : r.gaps) {
    bool flagged = std::find(over.begin(), over.end(), g.name) != over.end();
    out += "<li" + std::string(flagged ? " class=\"over\"" : "") + ">" + g.name + ": " +
           Num(g.value) + (flagged ? " (over " + Num(threshold) + ")" : "") + "</li>";
  }
  return out + "</ul></section>\n";
}

}  // namespace ferry::monitoring
