#pragma once
// Reading pipeline.yaml's nodes with located errors: the helpers spec_parser.cc and
// spec_trigger_parser.cc share (the only files that include yaml-cpp). Each helper throws
// SpecFailure for a node that is not what the field expects; ParsePipelineSpec catches it and
// turns it into "<file>:<line>:<column>: <field>: expected ..., got ...".

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <set>
#include <string>

#include "pipeline/spec.h"

namespace ferry::pipeline::internal {

struct SpecFailure {
  Location where;
  std::string message;
};

Location At(const YAML::Node& node);
[[noreturn]] void Fail(const YAML::Node& node, const std::string& field, const std::string& what);
// How a node reads in an error: "a mapping", "a list", "nothing" or its text, quoted.
std::string Shown(const YAML::Node& node);

std::string Scalar(const YAML::Node& node, const std::string& field);
int64_t Integer(const YAML::Node& node, const std::string& field, int64_t min, int64_t max);
bool Boolean(const YAML::Node& node, const std::string& field);
// "90", "90s", "5m", "2h" -> seconds (up to 30 days).
int64_t Duration(const YAML::Node& node, const std::string& field);
void RequireMap(const YAML::Node& node, const std::string& field);

// Calls `each(key, value, key_node)` for each entry, refusing keys not in `allowed` (unless
// empty) and keys given twice.
template <typename F>
void ForEachEntry(const YAML::Node& map, const std::string& field,
                  const std::set<std::string>& allowed, F each) {
  RequireMap(map, field);
  std::set<std::string> seen;
  for (const auto& kv : map) {
    const std::string key = Scalar(kv.first, field + " key");
    if (!allowed.empty() && !allowed.count(key)) {
      std::string list;
      for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
      Fail(kv.first, field, "unknown key '" + key + "'; expected one of " + list);
    }
    if (!seen.insert(key).second) Fail(kv.first, field, "key '" + key + "' given twice");
    each(key, kv.second, kv.first);
  }
}

// The `triggers:` list (spec_trigger_parser.cc).
std::vector<TriggerSpec> ParseTriggers(const YAML::Node& node);

}  // namespace ferry::pipeline::internal
