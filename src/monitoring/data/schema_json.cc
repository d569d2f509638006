#include "monitoring/data/schema_json.h"

#include "common/json_writer.h"

namespace ferry::monitoring {
namespace {

void WriteDomains(JsonWriter& w, const ColumnSchema& c) {
  if (c.int_domain) {
    w.Key("int_domain").BeginObject();
    w.Field("min", c.int_domain->min).Field("max", c.int_domain->max).EndObject();
  }
  if (c.float_domain) {
    const FloatDomain& d = *c.float_domain;
    w.Key("float_domain").BeginObject();
    if (d.min) w.FieldDouble("min", *d.min);
    if (d.max) w.FieldDouble("max", *d.max);
    w.FieldBool("disallow_nan", d.disallow_nan).FieldBool("disallow_inf", d.disallow_inf);
    w.EndObject();
  }
  if (c.string_domain) {
    w.Key("string_domain").BeginObject().Key("values").BeginArray();
    for (const std::string& v : c.string_domain->values) w.String(v);
    w.EndArray().FieldDouble("min_domain_mass", c.string_domain->min_domain_mass).EndObject();
  }
}

void WriteColumn(JsonWriter& w, const ColumnSchema& c) {
  w.BeginObject().Field("name", c.name).Field("type", ColumnTypeName(c.type));
  w.Key("presence").BeginObject();
  w.FieldDouble("min_fraction", c.presence.min_fraction)
      .Field("min_count", c.presence.min_count)
      .EndObject();
  WriteDomains(w, c);
  const Observed& o = c.observed;
  int64_t rows = o.count + o.missing;
  w.Key("observed").BeginObject();
  w.Field("count", o.count).Field("missing", o.missing);
  w.FieldDouble("missing_fraction",
                rows == 0 ? 0.0 : static_cast<double>(o.missing) / static_cast<double>(rows));
  w.Field("distinct", o.distinct).EndObject();
  w.EndObject();
}

// Indents compact JSON (two spaces a level); strings are copied untouched.
std::string Indent(std::string_view json) {
  std::string out;
  int depth = 0;
  auto newline = [&] { out += '\n' + std::string(2 * depth, ' '); };
  for (size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (c == '"') {  // copy the string, escapes included
      size_t end = i + 1;
      while (json[end] != '"') end += json[end] == '\\' ? 2 : 1;
      out.append(json.substr(i, end + 1 - i));
      i = end;
    } else if (c == '{' || c == '[') {
      out += c;
      if (json[i + 1] == '}' || json[i + 1] == ']') {
        out += json[++i];
        continue;
      }
      ++depth;
      newline();
    } else if (c == '}' || c == ']') {
      --depth;
      newline();
      out += c;
    } else if (c == ',') {
      out += c;
      newline();
    } else if (c == ':') {
      out += ": ";
    } else {
      out += c;
    }
  }
  return out + '\n';
}

}  // namespace

std::string WriteSchemaJson(const DataSchema& schema) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("format", kSchemaFormat).Field("version", int64_t{kSchemaVersion});
  w.Key("dataset").BeginObject();
  w.Field("num_examples", schema.num_examples)
      .Field("min_examples_count", schema.min_examples_count)
      .EndObject();
  w.Key("columns").BeginArray();
  for (const ColumnSchema& c : schema.columns) WriteColumn(w, c);
  w.EndArray().EndObject();
  return Indent(out);
}

}  // namespace ferry::monitoring
