#include "pipeline/gate/gate_json.h"

#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"

namespace ferry::pipeline {
namespace {

absl::Status FieldError(const std::string& where, std::string_view what) {
  return absl::InvalidArgumentError(StrCat(where, ": ", what));
}

absl::StatusOr<std::optional<double>> Number(const JsonValue& v, const std::string& where) {
  if (!v.is_number()) return FieldError(where, StrCat("expected a number, got ", v.TypeName()));
  return std::optional<double>(v.as_double());
}

absl::StatusOr<MetricThreshold> ParseThreshold(const JsonValue& item, const std::string& where) {
  if (!item.is_object())
    return FieldError(where, StrCat("expected an object, got ", item.TypeName()));
  MetricThreshold t;
  for (const auto& [key, value] : item.members()) {
    const std::string field = StrCat(where, ".", key);
    if (key == "metric") {
      if (!value.is_string() || value.as_string().empty()) {
        return FieldError(field, "expected a metric name");
      }
      t.metric = value.as_string();
    } else if (key == "direction") {
      const std::string d = value.is_string() ? value.as_string() : "";
      if (d != "higher" && d != "lower") {
        return FieldError(field,
                          StrCat("expected \"higher\" or \"lower\", got ",
                                 value.is_string() ? StrCat("\"", d, "\"") : value.TypeName()));
      }
      t.direction = d == "higher" ? Direction::kHigherIsBetter : Direction::kLowerIsBetter;
    } else if (key == "lower_bound") {
      ASSIGN_OR_RETURN(t.lower_bound, Number(value, field));
    } else if (key == "upper_bound") {
      ASSIGN_OR_RETURN(t.upper_bound, Number(value, field));
    } else if (key == "absolute_change") {
      ASSIGN_OR_RETURN(t.absolute_change, Number(value, field));
    } else if (key == "relative_change") {
      ASSIGN_OR_RETURN(t.relative_change, Number(value, field));
    } else {
      return FieldError(field,
                        "unknown field (metric, lower_bound, upper_bound, "
                        "absolute_change, relative_change, direction)");
    }
  }
  if (t.metric.empty()) return FieldError(StrCat(where, ".metric"), "missing");
  if (!t.lower_bound && !t.upper_bound && !t.absolute_change && !t.relative_change) {
    return FieldError(where,
                      "no bound: give lower_bound, upper_bound, absolute_change or "
                      "relative_change");
  }
  return t;
}

void WriteSubject(JsonWriter& w, const BlessingSubject& s) {
  w.BeginObject().Field("model", s.model).Field("version", s.version).Field("run_id", s.run_id);
  w.EndObject();
}

void WriteOptional(JsonWriter& w, std::string_view key, const std::optional<double>& v) {
  w.Key(key);
  if (v) {
    w.Double(*v);
  } else {
    w.Null();
  }
}

const char* Status(const GateCheck& c) {
  return c.skipped ? "skipped" : c.passed ? "passed" : "failed";
}

}  // namespace

absl::StatusOr<std::vector<MetricThreshold>> ParseThresholds(std::string_view json) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseJson(json));
  const JsonValue* list = &doc;
  if (doc.is_object()) {
    list = doc.Find("thresholds");
    if (list == nullptr || doc.members().size() != 1) {
      return absl::InvalidArgumentError(
          "the thresholds file must be {\"thresholds\": [...]} or an array");
    }
  }
  if (!list->is_array()) {
    return FieldError("thresholds", StrCat("expected an array, got ", list->TypeName()));
  }
  std::vector<MetricThreshold> out;
  for (size_t i = 0; i < list->items().size(); ++i) {
    ASSIGN_OR_RETURN(MetricThreshold t,
                     ParseThreshold(list->items()[i], StrCat("thresholds[", i, "]")));
    out.push_back(std::move(t));
  }
  if (out.empty()) return absl::InvalidArgumentError("thresholds: the list is empty");
  return out;
}

absl::StatusOr<Metrics> ParseMetrics(std::string_view json) {
  ASSIGN_OR_RETURN(JsonValue doc, ParseJson(json));
  const JsonValue* obj = &doc;
  if (const JsonValue* inner = doc.Find("metrics"); inner != nullptr && inner->is_object()) {
    obj = inner;
  }
  if (!obj->is_object()) {
    return absl::InvalidArgumentError(
        StrCat("metrics: expected an object of numbers, got ", obj->TypeName()));
  }
  Metrics out;
  for (const auto& [key, value] : obj->members()) {
    if (!value.is_number()) {
      return FieldError(StrCat("metrics.", key),
                        StrCat("expected a number, got ", value.TypeName()));
    }
    out[key] = value.as_double();
  }
  return out;
}

std::string BlessingJson(const GateResult& result, const BlessingSubject& candidate,
                         const std::optional<BlessingSubject>& baseline,
                         const std::string& baseline_alias) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().FieldBool("passed", result.passed).Field("summary", result.Summary());
  w.Key("candidate");
  WriteSubject(w, candidate);
  w.Key("baseline");
  if (baseline) {
    WriteSubject(w, *baseline);
  } else {
    w.Null();
  }
  w.Field("baseline_alias", baseline_alias);
  w.Key("checks").BeginArray();
  for (const GateCheck& c : result.checks) {
    w.BeginObject().Field("metric", c.metric).Field("kind", c.kind).Field("status", Status(c));
    WriteOptional(w, "candidate", c.candidate);
    WriteOptional(w, "baseline", c.baseline);
    w.FieldDouble("bound", c.bound).FieldDouble("observed", c.observed);
    w.Field("reason", c.reason).EndObject();
  }
  w.EndArray().EndObject();
  out += "\n";
  return out;
}

std::string FormatCheck(const GateCheck& c) {
  const char* tag = c.skipped ? "SKIP" : c.passed ? "PASS" : "FAIL";
  std::string line = StrCat(tag, "  ", c.metric, " ", c.kind);
  if (!c.passed || c.skipped) return StrCat(line, ": ", c.reason);
  const bool change = c.kind == "absolute_change" || c.kind == "relative_change";
  const bool at_least = c.kind == "lower_bound" || (change && c.observed >= c.bound);
  line = StrCat(line, ": ", FormatShortest(c.observed),
                at_least ? " >= " : " <= ", FormatShortest(c.bound));
  if (change && c.baseline) {
    line = StrCat(line, " (", FormatShortest(*c.candidate), " vs baseline ",
                  FormatShortest(*c.baseline), ")");
  }
  return line;
}

}  // namespace ferry::pipeline
