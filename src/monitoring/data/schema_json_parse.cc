// ParseSchemaJson (schema_json.h): every error names the field path and the reason.

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "common/json.h"
#include "monitoring/data/schema_json.h"

namespace ferry::monitoring {
namespace {

// A JSON object being read: each field read is marked, and Finish rejects the others.
class Fields {
 public:
  Fields(const JsonValue& v, std::string path) : v_(v), path_(std::move(path)) {}

  absl::Status Error(std::string_view field, std::string_view what) const {
    return absl::InvalidArgumentError(Path(field) + ": " + std::string(what));
  }
  std::string Path(std::string_view field) const {
    if (field.empty()) return path_.empty() ? "(top level)" : path_;
    return path_.empty() ? std::string(field) : path_ + "." + std::string(field);
  }
  // The member `name`, or nullptr when absent.
  const JsonValue* Get(std::string_view name) {
    seen_.insert(std::string(name));
    return v_.Find(name);
  }
  absl::StatusOr<const JsonValue*> Require(std::string_view name) {
    const JsonValue* v = Get(name);
    if (v == nullptr) return Error(name, "missing");
    return v;
  }
  absl::Status Finish() const {
    std::set<std::string_view> names;
    for (const auto& [name, value] : v_.members()) {
      if (!names.insert(name).second) return Error(name, "duplicate field");
      if (!seen_.count(name)) return Error(name, "unknown field");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<int64_t> Int(std::string_view name, const JsonValue& v) const {
    if (v.type() == JsonValue::Type::kInt) return v.as_int();
    if (v.type() == JsonValue::Type::kUint) return Error(name, "too large for a 64-bit integer");
    return Error(name, std::string("expected an integer, got ") + Kind(v));
  }
  absl::StatusOr<double> Number(std::string_view name, const JsonValue& v) const {
    if (!v.is_number()) return Error(name, std::string("expected a number, got ") + Kind(v));
    double d = v.as_double();
    if (!std::isfinite(d)) return Error(name, "not a finite number");
    return d;
  }
  absl::StatusOr<double> Fraction(std::string_view name, const JsonValue& v) const {
    ASSIGN_OR_RETURN(double d, Number(name, v));
    if (d < 0 || d > 1) return Error(name, "must be between 0 and 1");
    return d;
  }
  absl::StatusOr<int64_t> Count(std::string_view name, const JsonValue& v) const {
    ASSIGN_OR_RETURN(int64_t i, Int(name, v));
    if (i < 0) return Error(name, "must not be negative");
    return i;
  }
  absl::StatusOr<bool> Bool(std::string_view name, const JsonValue& v) const {
    if (!v.is_bool()) return Error(name, std::string("expected true or false, got ") + Kind(v));
    return v.as_bool();
  }
  absl::StatusOr<std::string> String(std::string_view name, const JsonValue& v) const {
    if (!v.is_string()) return Error(name, std::string("expected a string, got ") + Kind(v));
    return v.as_string();
  }
  absl::StatusOr<Fields> Object(std::string_view name, const JsonValue& v) const {
    if (!v.is_object()) return Error(name, std::string("expected an object, got ") + Kind(v));
    return Fields(v, Path(name));
  }

  static const char* Kind(const JsonValue& v) {
    if (v.is_array()) return "array";
    if (v.is_object()) return "object";
    if (v.is_string()) return "string";
    if (v.is_number()) return "number";
    if (v.is_bool()) return "boolean";
    return "null";
  }

 private:
  const JsonValue& v_;
  std::string path_;
  std::set<std::string, std::less<>> seen_;
};

// Reads the optional member `name` with `read` into `out`.
template <typename T, typename Read>
absl::Status Optional(Fields& f, std::string_view name, T& out, Read read) {
  const JsonValue* v = f.Get(name);
  if (v == nullptr) return absl::OkStatus();
  ASSIGN_OR_RETURN(out, (f.*read)(name, *v));
  return absl::OkStatus();
}

absl::Status ParsePresence(Fields& f, Presence& p) {
  RETURN_IF_ERROR(Optional(f, "min_fraction", p.min_fraction, &Fields::Fraction));
  RETURN_IF_ERROR(Optional(f, "min_count", p.min_count, &Fields::Count));
  return f.Finish();
}

absl::StatusOr<IntDomain> ParseIntDomain(Fields& f) {
  IntDomain d;
  ASSIGN_OR_RETURN(const JsonValue* min, f.Require("min"));
  ASSIGN_OR_RETURN(const JsonValue* max, f.Require("max"));
  ASSIGN_OR_RETURN(d.min, f.Int("min", *min));
  ASSIGN_OR_RETURN(d.max, f.Int("max", *max));
  if (d.min > d.max) return f.Error("", "min is greater than max");
  RETURN_IF_ERROR(f.Finish());
  return d;
}

absl::StatusOr<FloatDomain> ParseFloatDomain(Fields& f) {
  FloatDomain d;
  if (const JsonValue* v = f.Get("min")) {
    ASSIGN_OR_RETURN(d.min, f.Number("min", *v));
  }
  if (const JsonValue* v = f.Get("max")) {
    ASSIGN_OR_RETURN(d.max, f.Number("max", *v));
  }
  if (d.min && d.max && *d.min > *d.max) return f.Error("", "min is greater than max");
  RETURN_IF_ERROR(Optional(f, "disallow_nan", d.disallow_nan, &Fields::Bool));
  RETURN_IF_ERROR(Optional(f, "disallow_inf", d.disallow_inf, &Fields::Bool));
  RETURN_IF_ERROR(f.Finish());
  return d;
}

absl::StatusOr<StringDomain> ParseStringDomain(Fields& f) {
  StringDomain d;
  ASSIGN_OR_RETURN(const JsonValue* values, f.Require("values"));
  if (!values->is_array()) {
    return f.Error("values", std::string("expected an array, got ") + Fields::Kind(*values));
  }
  std::set<std::string_view> seen;
  for (size_t i = 0; i < values->items().size(); ++i) {
    std::string path = "values[" + std::to_string(i) + "]";
    ASSIGN_OR_RETURN(std::string v, f.String(path, values->items()[i]));
    if (!seen.insert(values->items()[i].as_string()).second) {
      return f.Error(path, "duplicate value \"" + v + "\"");
    }
    d.values.push_back(std::move(v));
  }
  std::sort(d.values.begin(), d.values.end());
  RETURN_IF_ERROR(Optional(f, "min_domain_mass", d.min_domain_mass, &Fields::Fraction));
  RETURN_IF_ERROR(f.Finish());
  return d;
}

absl::Status ParseObserved(Fields& f, Observed& o) {
  RETURN_IF_ERROR(Optional(f, "count", o.count, &Fields::Count));
  RETURN_IF_ERROR(Optional(f, "missing", o.missing, &Fields::Count));
  RETURN_IF_ERROR(Optional(f, "distinct", o.distinct, &Fields::Count));
  double ignored = 0;  // derived from count and missing
  RETURN_IF_ERROR(Optional(f, "missing_fraction", ignored, &Fields::Fraction));
  if (o.count > std::numeric_limits<int64_t>::max() - o.missing) {
    return f.Error("", "count plus missing overflows");
  }
  return f.Finish();
}

// Reads the domain `name` when present; an error when it does not fit `type`.
template <typename T, typename Parse>
absl::Status Domain(Fields& f, std::string_view name, ColumnType type, ColumnType wanted,
                    std::optional<T>& out, Parse parse) {
  const JsonValue* v = f.Get(name);
  if (v == nullptr) return absl::OkStatus();
  if (type != wanted) {
    return f.Error(name, "not allowed for type " + std::string(ColumnTypeName(type)));
  }
  ASSIGN_OR_RETURN(Fields sub, f.Object(name, *v));
  ASSIGN_OR_RETURN(out, parse(sub));
  return absl::OkStatus();
}

absl::StatusOr<ColumnSchema> ParseColumn(Fields& f) {
  ColumnSchema c;
  ASSIGN_OR_RETURN(const JsonValue* name, f.Require("name"));
  ASSIGN_OR_RETURN(c.name, f.String("name", *name));
  if (c.name.empty()) return f.Error("name", "empty");
  ASSIGN_OR_RETURN(const JsonValue* type, f.Require("type"));
  ASSIGN_OR_RETURN(std::string type_name, f.String("type", *type));
  std::optional<ColumnType> parsed = ParseColumnType(type_name);
  if (!parsed) {
    return f.Error("type", "unknown type \"" + type_name +
                               "\" (expected INT, FLOAT, STRING, BOOL or UNKNOWN)");
  }
  c.type = *parsed;
  if (const JsonValue* v = f.Get("presence")) {
    ASSIGN_OR_RETURN(Fields sub, f.Object("presence", *v));
    RETURN_IF_ERROR(ParsePresence(sub, c.presence));
  }
  RETURN_IF_ERROR(Domain(f, "int_domain", c.type, ColumnType::kInt, c.int_domain, ParseIntDomain));
  RETURN_IF_ERROR(
      Domain(f, "float_domain", c.type, ColumnType::kFloat, c.float_domain, ParseFloatDomain));
  RETURN_IF_ERROR(
      Domain(f, "string_domain", c.type, ColumnType::kString, c.string_domain, ParseStringDomain));
  if (const JsonValue* v = f.Get("observed")) {
    ASSIGN_OR_RETURN(Fields sub, f.Object("observed", *v));
    RETURN_IF_ERROR(ParseObserved(sub, c.observed));
  }
  RETURN_IF_ERROR(f.Finish());
  return c;
}

absl::Status ParseColumns(const Fields& top, const JsonValue& columns, DataSchema& schema) {
  if (!columns.is_array()) {
    return top.Error("columns", std::string("expected an array, got ") + Fields::Kind(columns));
  }
  for (size_t i = 0; i < columns.items().size(); ++i) {
    std::string path = "columns[" + std::to_string(i) + "]";
    ASSIGN_OR_RETURN(Fields f, top.Object(path, columns.items()[i]));
    ASSIGN_OR_RETURN(ColumnSchema c, ParseColumn(f));
    if (schema.Find(c.name) != nullptr) {
      return f.Error("name", "duplicate column \"" + c.name + "\"");
    }
    schema.columns.push_back(std::move(c));
  }
  return absl::OkStatus();
}

absl::Status ParseHeader(Fields& top) {
  ASSIGN_OR_RETURN(const JsonValue* format, top.Require("format"));
  ASSIGN_OR_RETURN(std::string name, top.String("format", *format));
  if (name != kSchemaFormat) {
    return top.Error("format",
                     "expected \"" + std::string(kSchemaFormat) + "\", got \"" + name + "\"");
  }
  ASSIGN_OR_RETURN(const JsonValue* version, top.Require("version"));
  ASSIGN_OR_RETURN(int64_t v, top.Int("version", *version));
  if (v != kSchemaVersion) {
    return top.Error("version", "unsupported version " + std::to_string(v) +
                                    " (this ferry reads version " + std::to_string(kSchemaVersion) +
                                    ")");
  }
  return absl::OkStatus();
}

absl::StatusOr<DataSchema> ParseTop(const JsonValue& doc) {
  if (!doc.is_object()) {
    return absl::InvalidArgumentError(std::string("expected a JSON object, got ") +
                                      Fields::Kind(doc));
  }
  Fields top(doc, "");
  RETURN_IF_ERROR(ParseHeader(top));
  DataSchema schema;
  if (const JsonValue* v = top.Get("dataset")) {
    ASSIGN_OR_RETURN(Fields f, top.Object("dataset", *v));
    RETURN_IF_ERROR(Optional(f, "num_examples", schema.num_examples, &Fields::Count));
    RETURN_IF_ERROR(Optional(f, "min_examples_count", schema.min_examples_count, &Fields::Count));
    RETURN_IF_ERROR(f.Finish());
  }
  ASSIGN_OR_RETURN(const JsonValue* columns, top.Require("columns"));
  RETURN_IF_ERROR(ParseColumns(top, *columns, schema));
  RETURN_IF_ERROR(top.Finish());
  return schema;
}

}  // namespace

absl::StatusOr<DataSchema> ParseSchemaJson(std::string_view text, std::string_view source) {
  absl::StatusOr<JsonValue> doc = ParseJson(text);
  absl::StatusOr<DataSchema> schema =
      doc.ok() ? ParseTop(*doc)
               : absl::InvalidArgumentError("invalid JSON: " + std::string(doc.status().message()));
  if (schema.ok()) return schema;
  return absl::InvalidArgumentError(std::string(source) + ": " +
                                    std::string(schema.status().message()));
}

}  // namespace ferry::monitoring
