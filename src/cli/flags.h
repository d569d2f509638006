#pragma once
// A small command-line flag parser: `--name value`, `--name=value`, boolean `--flag`,
// positional arguments, and `--` ending flag parsing. Produces help text from the
// declarations so every command's --help is accurate.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::cli {

// The exit codes of every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and failed
inline constexpr int kExitUsage = 2;    // bad flags or arguments: nothing was done

// Prints "<command>: <message>" to stderr; returns kExitFailure.
int Fail(const std::string& command, const absl::Status& status);

class FlagSet {
 public:
  FlagSet(std::string usage, std::string description)
      : usage_(std::move(usage)), description_(std::move(description)) {}

  // Declares a flag taking a value, with its default ("" = none) and help line.
  void String(const std::string& name, std::string default_value, std::string help);
  // Declares --tracking-uri, defaulting to FERRY_TRACKING_URI, else MLFLOW_TRACKING_URI, else
  // http://127.0.0.1:5000; `what` says what the server is used for.
  void TrackingUri(const std::string& what);
  // Declares a repeatable flag (`--param a=1 --param b=2`).
  void Repeated(const std::string& name, std::string help);
  void Bool(const std::string& name, std::string help);
  // Lets `-<short_name>` stand for `--<name>` (e.g. Alias("o", "output")).
  void Alias(const std::string& short_name, const std::string& name);

  // Parses `args` (without the program and command names). kInvalidArgument naming the
  // flag for unknown flags or missing values. Sets help_requested() for -h/--help.
  absl::Status Parse(const std::vector<std::string>& args);

  // Parses the command line of `command` ("ferry package build") and handles what every
  // command handles alike: --help (printed to stdout: returns kExitOk), a bad flag or a
  // number of positional arguments other than `positional` (-1: any), printed with the help
  // to stderr: returns kExitUsage. nullopt: go on.
  std::optional<int> ParseCommand(const std::string& command, const std::vector<std::string>& args,
                                  int positional = -1);
  // Prints "<command>: <message>" and the help to stderr; returns kExitUsage.
  int UsageError(const std::string& command, const std::string& message) const;

  const std::string& Get(const std::string& name) const;
  const std::vector<std::string>& GetAll(const std::string& name) const;
  bool IsSet(const std::string& name) const;
  bool GetBool(const std::string& name) const { return IsSet(name); }
  // The value as an integer in [lo, hi]; kInvalidArgument "--NAME: expected an integer in
  // [LO, HI], got 'VALUE'" otherwise.
  absl::StatusOr<int64_t> GetInt(const std::string& name, int64_t lo, int64_t hi) const;
  const std::vector<std::string>& positional() const { return positional_; }
  // Arguments after `--`, untouched.
  const std::vector<std::string>& rest() const { return rest_; }
  bool help_requested() const { return help_; }
  std::string Help() const;

 private:
  struct Flag {
    enum class Kind { kString, kRepeated, kBool } kind;
    std::string default_value;
    std::string help;
  };
  std::string usage_;
  std::string description_;
  std::vector<std::string> order_;
  std::map<std::string, Flag> flags_;
  std::map<std::string, std::vector<std::string>> values_;
  std::map<std::string, std::string> aliases_;  // short -> long
  std::vector<std::string> positional_;
  std::vector<std::string> rest_;
  bool help_ = false;
};

}  // namespace ferry::cli
