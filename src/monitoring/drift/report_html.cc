#include "monitoring/drift/report_html.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "monitoring/drift/drift_format.h"
#include "monitoring/drift/histogram.h"
#include "monitoring/drift/profile_bins.h"

namespace ferry::monitoring {
namespace {

constexpr double kSvgWidth = 240, kSvgHeight = 64;

constexpr std::string_view kHead = R"(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ferry data drift report</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:18px;margin-top:28px}
.headline.drift{color:#b3261e}.headline.nodrift{color:#1b6e3a}
.counters{display:flex;gap:16px}.counter{border:1px solid #ddd;border-radius:6px;padding:10px 18px}
.counter .value{font-size:24px;font-weight:600}.counter .label{color:#666;font-size:13px}
table{border-collapse:collapse;margin-top:12px}th,td{border-bottom:1px solid #e5e5e5;padding:6px 10px;text-align:left;vertical-align:middle}
th{background:#f6f6f6;font-size:13px}td.verdict.detected{color:#b3261e;font-weight:600}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px 0 12px}
svg.hist rect.ref{fill:#4c78a8;fill-opacity:.55}svg.hist rect.cur{fill:#e45756;fill-opacity:.55}
.meta{color:#666;font-size:13px}
</style></head><body>
)";

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.6g", v);
  return buf;
}

std::string Percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.4g%%", v * 100);
  return buf;
}

// Length of the well-formed UTF-8 sequence at s[i] (1-4), or 0.
size_t Utf8Length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size() || (n == 2 && c < 0xC2)) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

ColumnHistogram HistogramFor(const ColumnDrift& column, const Frame& reference,
                             const Frame& current) {
  CleanValues ref = CleanColumn(*reference.Find(column.name));
  CleanValues cur = CleanColumn(*current.Find(column.name));
  if (ref.numeric != cur.numeric) {
    ref = AsText(ref);
    cur = AsText(cur);
  }
  return MakeHistogram(column.type, ref, cur);
}

void AppendBars(const std::vector<double>& values, double max, const char* cls,
                const ColumnHistogram& h, std::string* out) {
  double width = kSvgWidth / static_cast<double>(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    double height = max > 0 ? values[i] / max * (kSvgHeight - 2) : 0;
    *out += "<rect class=\"" + std::string(cls) + "\" x=\"" + Num(i * width) + "\" y=\"" +
            Num(kSvgHeight - height) + "\" width=\"" + Num(std::max(width - 1, 0.5)) +
            "\" height=\"" + Num(height) + "\"><title>" + HtmlEscape(h.labels[i]) + ": reference " +
            Percent(h.reference[i]) + ", current " + Percent(h.current[i]) + "</title></rect>";
  }
}

std::string HistogramSvg(const ColumnHistogram& h) {
  double max = 0;
  for (double v : h.reference) max = std::max(max, v);
  for (double v : h.current) max = std::max(max, v);
  std::string out = "<svg class=\"hist\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" +
                    Num(kSvgWidth) + "\" height=\"" + Num(kSvgHeight) + "\" viewBox=\"0 0 " +
                    Num(kSvgWidth) + " " + Num(kSvgHeight) + "\" role=\"img\">";
  AppendBars(h.reference, max, "ref", h, &out);
  AppendBars(h.current, max, "cur", h, &out);
  return out + "</svg>";
}

std::string ScoreName(const ColumnDrift& c) {
  return std::string(GetStatTestInfo(c.stattest).name) + (c.p_value ? " p-value" : " distance");
}

using HistogramFn = std::function<ColumnHistogram(const ColumnDrift&)>;

std::string Row(const ColumnDrift& c, const HistogramFn& histogram) {
  std::string name = HtmlEscape(c.name);
  return "<tr class=\"column-row\" data-column=\"" + name + "\" data-drift=\"" +
         (c.drift_detected ? "1" : "0") + "\"><td class=\"name\">" + name + "</td><td>" +
         std::string(DriftColumnTypeName(c.type)) + "</td><td>" + HistogramSvg(histogram(c)) +
         "</td><td class=\"verdict" +
         (c.drift_detected ? " detected\">Detected" : "\">Not Detected") + "</td><td>" +
         ScoreName(c) + "</td><td class=\"score\">" + Num(c.score()) + " (threshold " +
         Num(c.threshold) + ")</td></tr>\n";
}

std::string Counter(const std::string& value, const char* label) {
  return "<div class=\"counter\"><div class=\"value\">" + value + "</div><div class=\"label\">" +
         label + "</div></div>";
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = Utf8Length(text, i);
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (n == 0 || (c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
      out += "\xEF\xBF\xBD";
      i += std::max<size_t>(n, 1);
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out.append(text.substr(i, n));
    }
    i += n;
  }
  return out;
}

namespace {

std::string RenderReport(const DatasetDrift& drift, const HistogramFn& histogram,
                         const ReportInfo& info) {
  std::string out(kHead);
  out += "<h1>Data drift report</h1>\n<p class=\"meta\">Reference: " +
         HtmlEscape(info.reference_name) + " &middot; Current: " + HtmlEscape(info.current_name) +
         "</p>\n" +
         (info.note.empty() ? "" : "<p class=\"meta note\">" + HtmlEscape(info.note) + "</p>\n") +
         "<h2 class=\"headline " +
         (drift.dataset_drift ? "drift\">Dataset drift detected"
                              : "nodrift\">Dataset drift NOT detected") +
         "</h2>\n<p class=\"meta\">Dataset drift when the share of drifted columns is at least " +
         Num(drift.drift_share_threshold) + ".</p>\n<div class=\"counters\">" +
         Counter(std::to_string(drift.number_of_columns), "Columns") +
         Counter(std::to_string(drift.number_of_drifted_columns), "Drifted Columns") +
         Counter(Num(drift.drift_share), "Share of Drifted Columns") + "</div>\n";
  out += "<h2 class=\"table-title\">" + HtmlEscape(DriftTitle(drift)) + "</h2>\n" +
         "<div class=\"legend\"><span style=\"background:#4c78a8\"></span>reference"
         "<span style=\"background:#e45756\"></span>current</div>\n"
         "<table id=\"drift-table\"><thead><tr><th>Column</th><th>Type</th>"
         "<th>Reference and Current Distribution</th><th>Data Drift</th><th>Stat Test</th>"
         "<th>Drift Score</th></tr></thead><tbody>\n";
  for (const ColumnDrift* c : DriftedFirst(drift)) out += Row(*c, histogram);
  out += "</tbody></table>\n";
  if (!drift.skipped.empty()) {
    out += "<h2>Not tested</h2><ul id=\"skipped\">";
    for (const SkippedColumn& s : drift.skipped) {
      out += "<li><b>" + HtmlEscape(s.name) + "</b>: " + HtmlEscape(s.reason) + "</li>";
    }
    out += "</ul>\n";
  }
  out += info.extra_sections;
  out += "</body></html>\n";
  return out;
}

}  // namespace

std::string RenderDriftReport(const DatasetDrift& drift, const Frame& reference,
                              const Frame& current, const ReportInfo& info) {
  return RenderReport(
      drift, [&](const ColumnDrift& c) { return HistogramFor(c, reference, current); }, info);
}

std::string RenderProfileDriftReport(const DatasetDrift& drift, const DatasetProfile& reference,
                                     const DatasetProfile& current, const ReportInfo& info) {
  return RenderReport(
      drift,
      [&](const ColumnDrift& c) {
        return MakeProfileHistogram(c.type, *reference.Find(c.name), *current.Find(c.name));
      },
      info);
}

}  // namespace ferry::monitoring
