#include "api/api_script.h"

#include <sstream>

#include "common/strings.h"

namespace ferry::testing {
namespace {

bool IsBlank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

std::string Text(const JsonValue& v) {
  if (v.is_string()) return v.as_string();
  return ToJsonString(v);
}

absl::Status Mismatch(const std::string& path, const std::string& what) {
  return absl::NotFoundError("at " + (path.empty() ? std::string("$") : path) + ": " + what);
}

}  // namespace

absl::StatusOr<std::vector<ApiStep>> ParseApiScript(const std::string& text) {
  std::vector<ApiStep> steps;
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  enum { kIdle, kBody, kExpect } state = kIdle;
  while (std::getline(in, line)) {
    ++lineno;
    if (StartsWith(line, "#")) continue;
    if (StartsWith(line, "request ")) {
      auto parts = SplitString(line, ' ');
      if (parts.size() != 3)
        return absl::InvalidArgumentError("line " + std::to_string(lineno) +
                                          ": expected 'request METHOD TARGET'");
      ApiStep step;
      step.line = lineno;
      step.method = std::string(parts[1]);
      step.target = std::string(parts[2]);
      steps.push_back(std::move(step));
      state = kBody;
      continue;
    }
    if (IsBlank(line)) {
      if (state == kExpect) state = kIdle;
      continue;
    }
    if (steps.empty() || state == kIdle) {
      return absl::InvalidArgumentError("line " + std::to_string(lineno) + ": text outside a step");
    }
    ApiStep& step = steps.back();
    if (StartsWith(line, "expect ")) {
      auto code = ParseInt64(line.substr(7));
      if (!code)
        return absl::InvalidArgumentError("line " + std::to_string(lineno) + ": bad status");
      step.expect_status = static_cast<int>(*code);
      state = kExpect;
    } else if (state == kBody && StartsWith(ToLower(line), "content-type:")) {
      step.content_type = line.substr(line.find(':') + 1);
      while (!step.content_type.empty() && step.content_type.front() == ' ')
        step.content_type.erase(0, 1);
      if (step.content_type == "none") step.content_type.clear();
    } else if (state == kBody) {
      step.body += (step.body.empty() ? "" : "\n") + line;
    } else {
      step.expect_body += (step.expect_body.empty() ? "" : "\n") + line;
    }
  }
  for (const auto& s : steps) {
    if (s.expect_status == 0) {
      return absl::InvalidArgumentError("step at line " + std::to_string(s.line) +
                                        " has no 'expect'");
    }
  }
  return steps;
}

std::string Substitute(const std::string& text, const std::map<std::string, std::string>& vars) {
  std::string out;
  size_t pos = 0;
  while (true) {
    size_t start = text.find("${", pos);
    if (start == std::string::npos) break;
    size_t end = text.find('}', start);
    if (end == std::string::npos) break;
    out.append(text, pos, start - pos);
    auto it = vars.find(text.substr(start + 2, end - start - 2));
    out += it == vars.end() ? text.substr(start, end - start + 1) : it->second;
    pos = end + 1;
  }
  out.append(text, pos);
  return out;
}

absl::Status MatchJson(const JsonValue& expected, const JsonValue& actual, const std::string& path,
                       std::map<std::string, std::string>& vars) {
  if (expected.is_string()) {
    const std::string& e = expected.as_string();
    if (e == "$any") return absl::OkStatus();
    if (e == "$number") {
      return actual.is_number() ? absl::OkStatus()
                                : Mismatch(path, "expected a number, got " + Text(actual));
    }
    if (e == "$nonempty") {
      return actual.is_string() && !actual.as_string().empty()
                 ? absl::OkStatus()
                 : Mismatch(path, "expected a non-empty string, got " + ToJsonString(actual));
    }
    if (StartsWith(e, "$capture:")) {
      vars[e.substr(9)] = Text(actual);
      return absl::OkStatus();
    }
  }
  if (expected.is_string() && expected.as_string().find("${") != std::string::npos) {
    // Captured earlier in this same response (e.g. run_uuid repeating run_id).
    std::string want = Substitute(expected.as_string(), vars);
    if (actual.is_string() && actual.as_string() == want) return absl::OkStatus();
    return Mismatch(path, "expected \"" + want + "\", got " + ToJsonString(actual));
  }
  if (expected.is_number() && actual.is_number()) {
    if (expected.as_double() == actual.as_double()) return absl::OkStatus();
    return Mismatch(path, "expected " + Text(expected) + ", got " + Text(actual));
  }
  if (expected.type() != actual.type()) {
    return Mismatch(path, "expected " + ToJsonString(expected) + ", got " + ToJsonString(actual));
  }
  if (expected.is_object()) {
    for (const auto& [key, value] : expected.members()) {
      const JsonValue* a = actual.Find(key);
      bool want_absent = value.is_string() && value.as_string() == "$absent";
      if (want_absent && a != nullptr)
        return Mismatch(path + "." + key, "expected absent, got " + ToJsonString(*a));
      if (want_absent) continue;
      if (a == nullptr) return Mismatch(path + "." + key, "missing");
      RETURN_IF_ERROR(MatchJson(value, *a, path + "." + key, vars));
    }
    return absl::OkStatus();
  }
  if (expected.is_array()) {
    if (expected.items().size() != actual.items().size()) {
      return Mismatch(path, "expected " + std::to_string(expected.items().size()) + " items, got " +
                                std::to_string(actual.items().size()) + ": " +
                                ToJsonString(actual));
    }
    for (size_t i = 0; i < expected.items().size(); ++i) {
      RETURN_IF_ERROR(MatchJson(expected.items()[i], actual.items()[i],
                                path + "[" + std::to_string(i) + "]", vars));
    }
    return absl::OkStatus();
  }
  if (ToJsonString(expected) != ToJsonString(actual)) {
    return Mismatch(path, "expected " + ToJsonString(expected) + ", got " + ToJsonString(actual));
  }
  return absl::OkStatus();
}

}  // namespace ferry::testing
