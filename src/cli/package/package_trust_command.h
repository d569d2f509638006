#pragma once
// Trust and distribution commands: `ferry keys generate`, and the `ferry package`
// subcommands sign, verify, push and pull.

#include <string>
#include <vector>

namespace ferry::cli {

// `ferry keys ...`. Returns the exit code.
int KeysCommand(const std::vector<std::string>& args);

// True if `sub` is one of the subcommands below (for `ferry package` help and dispatch).
bool IsPackageTrustSubcommand(const std::string& sub);
// `ferry package sign|verify|push|pull ARGS`: the exit code (0 ok, 1 failure, 2 usage).
int PackageTrustCommand(const std::string& sub, const std::vector<std::string>& args);

// Help lines for `ferry package --help`.
extern const char kPackageTrustHelp[];

// Internal to the trust commands: `-o X` -> `--output X`, and the shared failure printer.
std::vector<std::string> ExpandShortOutput(const std::vector<std::string>& args);
int TrustFail(const std::string& command, const std::string& message);

int PackagePushCommand(const std::vector<std::string>& args);
int PackagePullCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
