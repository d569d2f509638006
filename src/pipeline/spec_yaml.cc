#include "pipeline/spec_yaml.h"

#include <optional>

#include "common/strings.h"

namespace ferry::pipeline::internal {

Location At(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

void Fail(const YAML::Node& node, const std::string& field, const std::string& what) {
  throw SpecFailure{At(node), field + ": " + what};
}

std::string Shown(const YAML::Node& node) {
  if (node.IsMap()) return "a mapping";
  if (node.IsSequence()) return "a list";
  if (node.IsNull()) return "nothing";
  std::string s = node.Scalar();
  if (s.size() > 40) s = s.substr(0, 40) + "...";
  return "'" + s + "'";
}

std::string Scalar(const YAML::Node& node, const std::string& field) {
  if (!node.IsScalar()) Fail(node, field, "expected a string, got " + Shown(node));
  return node.Scalar();
}

int64_t Integer(const YAML::Node& node, const std::string& field, int64_t min, int64_t max) {
  std::optional<int64_t> v = node.IsScalar() ? ParseInt64(node.Scalar()) : std::nullopt;
  if (!v || *v < min || *v > max) {
    Fail(node, field,
         "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) +
             ", got " + Shown(node));
  }
  return *v;
}

bool Boolean(const YAML::Node& node, const std::string& field) {
  const std::string s = node.IsScalar() ? node.Scalar() : "";
  if (s == "true" || s == "yes" || s == "on") return true;
  if (s == "false" || s == "no" || s == "off") return false;
  Fail(node, field, "expected true or false, got " + Shown(node));
}

int64_t Duration(const YAML::Node& node, const std::string& field) {
  std::string s = node.IsScalar() ? node.Scalar() : "";
  int64_t unit = 1;
  if (!s.empty() && (s.back() == 's' || s.back() == 'm' || s.back() == 'h')) {
    unit = s.back() == 's' ? 1 : s.back() == 'm' ? 60 : 3600;
    s.pop_back();
  }
  std::optional<int64_t> v = ParseInt64(s);
  if (!v || *v < 0 || *v > 30LL * 24 * 3600 / unit) {
    Fail(node, field, "expected a duration such as 90, 90s, 5m or 2h, got " + Shown(node));
  }
  return *v * unit;
}

void RequireMap(const YAML::Node& node, const std::string& field) {
  if (!node.IsMap()) Fail(node, field, "expected a mapping, got " + Shown(node));
}

}  // namespace ferry::pipeline::internal
