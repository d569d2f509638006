#include "core/validation.h"

#include <cctype>
#include <vector>

#include "common/strings.h"

namespace ferry {
namespace {

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;  // \w is Unicode-aware in Python
}

// posixpath.normpath, enough to tell whether a key would resolve to another name.
std::string NormPath(std::string_view path) {
  if (path.empty()) return ".";
  bool absolute = path.front() == '/';
  std::vector<std::string_view> out;
  for (std::string_view part : SplitString(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == ".." && !out.empty() && out.back() != "..") {
      out.pop_back();
    } else if (part == ".." && absolute) {
      continue;
    } else {
      out.push_back(part);
    }
  }
  std::string result = absolute ? "/" : "";
  for (size_t i = 0; i < out.size(); ++i) {
    if (i) result += '/';
    result += out[i];
  }
  return result.empty() ? "." : result;
}

}  // namespace

absl::Status ValidateEntityKey(std::string_view kind, std::string_view key) {
  for (char c : key) {
    if (!(IsWordChar(c) || c == '/' || c == '.' || c == '-' || c == ' ')) {
      return absl::InvalidArgumentError(
          "Invalid " + std::string(kind) + " name: '" + std::string(key) +
          "'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), "
          "spaces ( ), and slashes (/).");
    }
  }
  // An empty key resolves to '.', so it is refused like MLflow's path_not_unique does.
  std::string norm = NormPath(key);
  if (norm != key || norm == "." || StartsWith(norm, "..") || StartsWith(norm, "/")) {
    return absl::InvalidArgumentError(
        "Invalid " + std::string(kind) + " name: '" + std::string(key) +
        "'. Names may be treated as files in certain cases, and must not resolve to other "
        "names when treated as such. This name would resolve to '" +
        norm + "'");
  }
  std::string what = kind == "param" ? "Param key" : kind == "tag" ? "Tag key" : "Metric key";
  return ValidateLength(what, key, kMaxEntityKeyLength);
}

absl::Status ValidateLength(std::string_view what, std::string_view value, size_t limit) {
  if (value.size() <= limit) return absl::OkStatus();
  std::string shown(value.substr(0, 50));
  return absl::InvalidArgumentError(std::string(what) + " '" + shown + "...' had length " +
                                    std::to_string(value.size()) +
                                    ", which exceeded length limit of " + std::to_string(limit));
}

static bool MatchesId(std::string_view id, size_t max_tail) {
  if (id.empty() || !std::isalnum(static_cast<unsigned char>(id[0]))) return false;
  if (id.size() - 1 > max_tail) return false;
  for (char c : id.substr(1)) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  }
  return true;
}

absl::Status ValidateRunId(std::string_view run_id) {
  if (MatchesId(run_id, 255)) return absl::OkStatus();
  return absl::InvalidArgumentError("Invalid run ID: '" + std::string(run_id) + "'");
}

absl::Status ValidateExperimentId(std::string_view id) {
  if (MatchesId(id, 63)) return absl::OkStatus();
  return absl::InvalidArgumentError("Invalid experiment ID: '" + std::string(id) + "'");
}

absl::Status ValidateExperimentName(std::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError("Invalid experiment name: ''. Expected a non-empty string.");
  }
  return ValidateLength("Experiment name", name, 500);
}

absl::Status ValidateArtifactLocation(std::string_view location) {
  if (location.find('#') != std::string_view::npos ||
      location.find(";params") != std::string_view::npos) {
    return absl::InvalidArgumentError("'artifact_location' URL can't include fragments or params.");
  }
  return absl::OkStatus();
}

absl::Status ValidateArtifactPath(std::string_view path) {
  auto bad = absl::InvalidArgumentError("Invalid path");
  if (!path.empty() && path.front() == '/') return bad;
  if (path.find('\\') != std::string_view::npos) return bad;
  if (path.find('\0') != std::string_view::npos) return bad;
  if (!IsValidUtf8(path)) return absl::InvalidArgumentError("Invalid path: not valid UTF-8");
  if (path.size() >= 2 && path[1] == ':') return bad;  // Windows drive
  for (std::string_view part : SplitString(path, '/')) {
    if (part == "..") return bad;
  }
  return absl::OkStatus();
}

namespace {

// urllib.parse.unquote (a malformed escape stays as written), then what
// urlunparse(urlparse(...)) removes from a path: tabs and line breaks anywhere, and leading
// C0 controls and spaces.
std::string UnquoteOnce(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexDigitValue(s[i + 1]) >= 0 &&
        HexDigitValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexDigitValue(s[i + 1]) * 16 + HexDigitValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  std::erase_if(out, [](char c) { return c == '\t' || c == '\r' || c == '\n'; });
  size_t start = 0;
  while (start < out.size() && static_cast<unsigned char>(out[start]) <= 0x20) ++start;
  return out.substr(start);
}

}  // namespace

absl::StatusOr<std::string> SafeRequestPath(std::string_view path) {
  auto bad = absl::InvalidArgumentError("Invalid path");
  std::string current(path);
  bool stable = false;
  for (int round = 0; round < 10 && !stable; ++round) {
    std::string next = UnquoteOnce(current);
    stable = next == current;
    current = std::move(next);
  }
  if (!stable) return bad;  // MLflow: "Failed to decode url"
  if (current.find('#') != std::string::npos) return bad;
  if (StartsWith(current, "file:")) {  // local_file_uri_to_path: the URI's path, unquoted
    std::string_view rest = std::string_view(current).substr(5);
    if (StartsWith(rest, "//")) {
      size_t slash = rest.find('/', 2);
      rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    }
    current = UnquoteOnce(rest.substr(0, rest.find('?')));
  }
  RETURN_IF_ERROR(ValidateArtifactPath(current));
  return current;
}

absl::StatusOr<std::string> ResolveRunName(const std::string& run_name, std::vector<RunTag>& tags) {
  const RunTag* tag = nullptr;
  for (const RunTag& t : tags) {
    if (t.key == kRunNameTag) tag = &t;
  }
  if (tag == nullptr) {
    if (!run_name.empty()) tags.push_back({kRunNameTag, run_name});
    return run_name;
  }
  if (!run_name.empty() && run_name != tag->value) {
    return absl::InvalidArgumentError(
        "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different "
        "values (run_name='" +
        run_name + "', mlflow.runName='" + tag->value + "').");
  }
  return tag->value;
}

std::string TruncateUtf8(std::string_view value, size_t limit) {
  if (value.size() <= limit) return std::string(value);
  size_t cut = limit;
  // Step back over continuation bytes so a multi-byte sequence is never split.
  while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
  return std::string(value.substr(0, cut));
}

}  // namespace ferry
