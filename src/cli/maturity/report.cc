#include "cli/maturity/report.h"

#include <cstdio>

#include "common/json_writer.h"

namespace ferry::cli {
namespace {

using pipeline::maturity::Assessment;
using pipeline::maturity::Observations;

std::string Num(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string ServerLine(const Observations& o) {
  if (!o.server) return "not asked (give --server URL for the registry, runs and monitoring)";
  if (!o.server->reached) return o.server->url + ": not reached: " + o.server->error;
  return o.server->url;
}

}  // namespace

std::string MaturityText(const Observations& o, const Assessment& a) {
  std::string out = "MLOps maturity of " + o.dir + "\n";
  out += "Server: " + ServerLine(o) + "\n\n";
  out += "Google MLOps level: " + std::to_string(a.level) + "\n";
  out += "ML Test Score: " + Num(a.score) + " (" + a.band + "; the minimum of";
  for (const auto& s : a.sections) out += " " + s.section + " " + Num(s.score);
  out += ")\n\n";
  out += Pad("TEST", 10) + Pad("SCORE", 6) + "EVIDENCE / MISSING\n";
  for (const auto& t : a.tests) {
    out += Pad(t.id, 10) + Pad(Num(t.score), 6) + t.name + "\n";
    if (!t.evidence.empty()) out += Pad("", 16) + "found:   " + t.evidence + "\n";
    if (!t.missing.empty()) out += Pad("", 16) + "missing: " + t.missing + "\n";
  }
  out += "\nLEVEL  MET  CHARACTERISTIC\n";
  for (const auto& c : a.characteristics) {
    out += Pad(std::to_string(c.level), 7) + Pad(c.met ? "yes" : "no", 5) + c.name + "\n";
    out += Pad("", 12) + (c.met ? "found:   " + c.evidence : "missing: " + c.missing) + "\n";
  }
  return out;
}

std::string MaturityJson(const Observations& o, const Assessment& a) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("dir", o.dir);
  w.Key("server").BeginObject();
  if (o.server) {
    w.Field("url", o.server->url).FieldBool("reached", o.server->reached);
    if (!o.server->reached) w.Field("error", o.server->error);
  }
  w.EndObject();
  w.Field("level", static_cast<int64_t>(a.level)).FieldDouble("score", a.score);
  w.Field("band", a.band).Key("sections").BeginObject();
  for (const auto& s : a.sections) w.FieldDouble(s.section, s.score);
  w.EndObject().Key("tests").BeginArray();
  for (const auto& t : a.tests) {
    w.BeginObject().Field("id", t.id).Field("section", t.section).Field("name", t.name);
    w.FieldDouble("score", t.score).Field("evidence", t.evidence).Field("missing", t.missing);
    w.EndObject();
  }
  w.EndArray().Key("characteristics").BeginArray();
  for (const auto& c : a.characteristics) {
    w.BeginObject().Field("level", static_cast<int64_t>(c.level)).Field("name", c.name);
    w.FieldBool("met", c.met).Field("evidence", c.evidence).Field("missing", c.missing);
    w.EndObject();
  }
  w.EndArray().EndObject();
  out += "\n";
  return out;
}

}  // namespace ferry::cli
