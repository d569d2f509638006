// `ferry monitor show PROFILE [--format text|json] [--top N]`.
#include <cinttypes>
#include <cstdio>

#include "cli/flags.h"
#include "cli/monitor/profile_commands.h"
#include "common/fs.h"
#include "common/json_writer.h"
#include "monitoring/profile/profile_codec.h"
#include "monitoring/profile/profile_summary.h"

namespace ferry::cli {
namespace {

using monitoring::ColumnSummary;
using monitoring::kSummaryQuantiles;

constexpr char kCommand[] = "ferry monitor show";

std::string Percentile(double q) { return "p" + std::to_string(static_cast<int>(q * 100 + 0.5)); }

void TextColumn(const ColumnSummary& c, std::string& out) {
  char buf[512];
  const double missing_pct = c.count == 0 ? 0.0 : 100.0 * c.missing / c.count;
  std::snprintf(buf, sizeof(buf),
                "%s  %s\n  count %" PRIu64 "  missing %" PRIu64 " (%.2f%%)  integral %" PRIu64
                "  fractional %" PRIu64 "  string %" PRIu64 "\n",
                c.name.c_str(), monitoring::ProfileColumnTypeName(c.type), c.count, c.missing,
                missing_pct, c.types.integral, c.types.fractional, c.types.string);
  out += buf;
  if (c.pos_inf + c.neg_inf > 0) {
    std::snprintf(buf, sizeof(buf), "  +inf %" PRIu64 "  -inf %" PRIu64 "\n", c.pos_inf, c.neg_inf);
    out += buf;
  }
  if (c.mean) {
    std::snprintf(buf, sizeof(buf), "  min %.6g  max %.6g  mean %.6g  std %.6g\n  quantiles",
                  *c.min, *c.max, *c.mean, *c.stddev);
    out += buf;
    for (size_t i = 0; i < c.quantiles.size(); ++i) {
      std::snprintf(buf, sizeof(buf), " %s %.6g", Percentile(kSummaryQuantiles[i]).c_str(),
                    c.quantiles[i]);
      out += buf;
    }
    std::snprintf(buf, sizeof(buf), "  (rank error %.2g%%)\n", 100 * c.quantile_rank_error);
    out += buf;
  }
  std::snprintf(buf, sizeof(buf), "  distinct ~%.0f [%.0f, %.0f]\n", c.distinct, c.distinct_lower,
                c.distinct_upper);
  out += buf;
  if (c.top_items.empty()) return;
  out += "  top";
  for (const monitoring::FrequentItem& f : c.top_items) {
    std::snprintf(buf, sizeof(buf), " \"%.40s\" %" PRIu64, f.item.c_str(), f.estimate);
    out += buf;
    if (f.lower != f.upper) {
      std::snprintf(buf, sizeof(buf), " [%" PRIu64 ", %" PRIu64 "]", f.lower, f.upper);
      out += buf;
    }
  }
  out += "\n";
}

void OptionalDouble(JsonWriter& w, std::string_view key, const std::optional<double>& v) {
  w.Key(key);
  if (v) {
    w.Double(*v);
  } else {
    w.Null();
  }
}

void JsonColumn(const ColumnSummary& c, JsonWriter& w) {
  w.BeginObject().Field("name", c.name).Field("type", monitoring::ProfileColumnTypeName(c.type));
  w.Key("count").Uint(c.count).Key("missing").Uint(c.missing);
  w.Key("types").BeginObject().Key("integral").Uint(c.types.integral);
  w.Key("fractional").Uint(c.types.fractional).Key("string").Uint(c.types.string).EndObject();
  w.Key("infinities").BeginObject().Key("positive").Uint(c.pos_inf);
  w.Key("negative").Uint(c.neg_inf).EndObject();
  OptionalDouble(w, "min", c.min);
  OptionalDouble(w, "max", c.max);
  OptionalDouble(w, "mean", c.mean);
  OptionalDouble(w, "std", c.stddev);
  w.Key("quantiles");
  if (c.quantiles.empty()) {
    w.Null();
  } else {
    w.BeginObject();
    for (size_t i = 0; i < c.quantiles.size(); ++i) {
      w.FieldDouble(Percentile(kSummaryQuantiles[i]), c.quantiles[i]);
    }
    w.EndObject();
  }
  w.FieldDouble("quantile_rank_error", c.quantile_rank_error);
  w.Key("distinct").BeginObject().FieldDouble("estimate", c.distinct);
  w.FieldDouble("lower", c.distinct_lower).FieldDouble("upper", c.distinct_upper).EndObject();
  w.Key("top_items").BeginArray();
  for (const monitoring::FrequentItem& f : c.top_items) {
    w.BeginObject().Field("item", f.item).Key("estimate").Uint(f.estimate);
    w.Key("lower").Uint(f.lower).Key("upper").Uint(f.upper).EndObject();
  }
  w.EndArray().EndObject();
}

std::string Render(const monitoring::DatasetProfile& p, bool json, size_t top) {
  std::string out;
  if (json) {
    JsonWriter w(&out);
    w.BeginObject().Key("rows").Uint(p.rows()).Key("columns").BeginArray();
    for (const auto& [name, column] : p.columns()) {
      JsonColumn(monitoring::Summarize(name, column, top), w);
    }
    w.EndArray().EndObject();
    out += "\n";
    return out;
  }
  out = std::to_string(p.rows()) + " rows, " + std::to_string(p.columns().size()) + " columns\n";
  for (const auto& [name, column] : p.columns()) {
    out += "\n";
    TextColumn(monitoring::Summarize(name, column, top), out);
  }
  return out;
}

}  // namespace

int MonitorShowCommand(const std::vector<std::string>& args) {
  FlagSet flags("ferry monitor show PROFILE [--format text|json] [--top N]",
                "Prints a profile written by 'ferry monitor profile' (or embedded by 'ferry\n"
                "package build --reference-data'): per column its type, counts, missing\n"
                "values, min/max/mean/std, quantiles p1..p99, distinct-count estimate with\n"
                "bounds and the most frequent items.");
  flags.String("format", "text", "text or json");
  flags.String("top", "5", "frequent items shown per column");
  if (auto exit = flags.ParseCommand(kCommand, args, 1)) return *exit;
  const std::string& format = flags.Get("format");
  if (format != "text" && format != "json") {
    return flags.UsageError(kCommand, "--format must be text or json, got '" + format + "'");
  }
  int top = -1;
  if (std::sscanf(flags.Get("top").c_str(), "%d", &top) != 1 || top < 0 || top > 1000) {
    return flags.UsageError(kCommand, "--top must be an integer in [0, 1000]");
  }
  auto bytes = ReadFile(flags.positional()[0]);
  if (!bytes.ok()) return Fail(kCommand, bytes.status());
  auto profile = monitoring::DecodeProfile(*bytes);
  if (!profile.ok()) {
    return Fail(kCommand, absl::InvalidArgumentError(flags.positional()[0] + ": " +
                                                     std::string(StatusMessage(profile.status()))));
  }
  const std::string out = Render(*profile, format == "json", static_cast<size_t>(top));
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace ferry::cli
