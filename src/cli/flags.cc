#include "cli/flags.h"

#include <cstdio>
#include <cstdlib>

#include "common/strings.h"

namespace ferry::cli {

void FlagSet::String(const std::string& name, std::string default_value, std::string help) {
  order_.push_back(name);
  flags_[name] = {Flag::Kind::kString, std::move(default_value), std::move(help)};
}

void FlagSet::TrackingUri(const std::string& what) {
  std::string uri = "http://127.0.0.1:5000";
  for (const char* var : {"FERRY_TRACKING_URI", "MLFLOW_TRACKING_URI"}) {
    if (const char* v = std::getenv(var); v && *v) {
      uri = v;
      break;
    }
  }
  String("tracking-uri", uri, what + " (or FERRY_TRACKING_URI / MLFLOW_TRACKING_URI)");
}

void FlagSet::Repeated(const std::string& name, std::string help) {
  order_.push_back(name);
  flags_[name] = {Flag::Kind::kRepeated, "", std::move(help)};
}

void FlagSet::Bool(const std::string& name, std::string help) {
  order_.push_back(name);
  flags_[name] = {Flag::Kind::kBool, "", std::move(help)};
}

void FlagSet::Alias(const std::string& short_name, const std::string& name) {
  aliases_[short_name] = name;
}

absl::Status FlagSet::Parse(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (arg.size() >= 2 && arg[0] == '-' && arg[1] != '-') {
      if (auto a = aliases_.find(arg.substr(1)); a != aliases_.end()) arg = "--" + a->second;
    }
    if (arg == "--") {
      rest_.assign(args.begin() + i + 1, args.end());
      return absl::OkStatus();
    }
    if (arg == "-h" || arg == "--help") {
      help_ = true;
      continue;
    }
    if (!StartsWith(arg, "--") || arg.size() == 2) {
      positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::string value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    auto it = flags_.find(name);
    if (it == flags_.end()) {
      return absl::InvalidArgumentError("unknown flag --" + name + " (see --help)");
    }
    if (it->second.kind == Flag::Kind::kBool) {
      if (has_value) return absl::InvalidArgumentError("flag --" + name + " takes no value");
      values_[name].push_back("true");
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError("flag --" + name + " needs a value");
      }
      value = args[++i];
    }
    if (it->second.kind == Flag::Kind::kString) values_[name].clear();
    values_[name].push_back(value);
  }
  return absl::OkStatus();
}

std::optional<int> FlagSet::ParseCommand(const std::string& command,
                                         const std::vector<std::string>& args, int positional) {
  absl::Status s = Parse(args);
  if (help_) {
    std::fputs(Help().c_str(), stdout);
    return kExitOk;
  }
  if (!s.ok()) return UsageError(command, std::string(s.message()));
  if (positional >= 0 && positional_.size() != static_cast<size_t>(positional)) {
    return UsageError(command, "expected " + std::to_string(positional) + " argument(s), got " +
                                   std::to_string(positional_.size()));
  }
  return std::nullopt;
}

int FlagSet::UsageError(const std::string& command, const std::string& message) const {
  std::fprintf(stderr, "%s: %s\n\n%s", command.c_str(), message.c_str(), Help().c_str());
  return kExitUsage;
}

int Fail(const std::string& command, const absl::Status& status) {
  std::fprintf(stderr, "%s: %s\n", command.c_str(), std::string(status.message()).c_str());
  return kExitFailure;
}

const std::string& FlagSet::Get(const std::string& name) const {
  auto v = values_.find(name);
  if (v != values_.end() && !v->second.empty()) return v->second.back();
  return flags_.at(name).default_value;
}

const std::vector<std::string>& FlagSet::GetAll(const std::string& name) const {
  static const std::vector<std::string> kEmpty;
  auto v = values_.find(name);
  return v == values_.end() ? kEmpty : v->second;
}

bool FlagSet::IsSet(const std::string& name) const { return values_.count(name) > 0; }

std::string FlagSet::Help() const {
  std::string out = "Usage: " + usage_ + "\n\n" + description_ + "\n";
  if (!order_.empty()) out += "\nFlags:\n";
  for (const auto& name : order_) {
    const Flag& f = flags_.at(name);
    std::string left = "  --" + name + (f.kind == Flag::Kind::kBool ? "" : " VALUE");
    for (const auto& [short_name, long_name] : aliases_) {
      if (long_name == name) left = "  -" + short_name + ", " + left.substr(2);
    }
    if (left.size() < 34) left.resize(34, ' ');
    out += left + " " + f.help;
    if (!f.default_value.empty()) out += " (default: " + f.default_value + ")";
    if (f.kind == Flag::Kind::kRepeated) out += " (repeatable)";
    out += "\n";
  }
  out += "  -h, --help                       show this help\n";
  return out;
}

absl::StatusOr<int64_t> FlagSet::GetInt(const std::string& name, int64_t lo, int64_t hi) const {
  auto v = ParseInt64(Get(name));
  if (!v || *v < lo || *v > hi) {
    return absl::InvalidArgumentError("--" + name + ": expected an integer in [" +
                                      std::to_string(lo) + ", " + std::to_string(hi) + "], got '" +
                                      Get(name) + "'");
  }
  return *v;
}

}  // namespace ferry::cli
