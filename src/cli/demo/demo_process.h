#pragma once
// How the demo runs Ferry: every step is a `ferry` sub-command of this same binary, started
// through common/process.h with its output in a log file under DIR/logs, while the demo
// prints its own progress lines and stays interruptible (Ctrl-C).

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace ferry::cli::demo {

// Set by SIGINT/SIGTERM once InstallInterruptHandler ran.
extern std::atomic<bool> g_interrupted;
void InstallInterruptHandler();

// Progress lines: "[  12.3s] phase: text".
class Progress {
 public:
  Progress() : start_(std::chrono::steady_clock::now()) {}
  double Seconds() const;
  void Say(const std::string& phase, const std::string& text) const;

 private:
  std::chrono::steady_clock::time_point start_;
};

// This binary's path (/proc/self/exe resolved).
std::string SelfExe();

// Starts `ferry ARGS...` in its own process group, stdout and stderr appended to `log`.
absl::StatusOr<int> SpawnFerry(const std::vector<std::string>& args, const std::string& log);
// Runs `ferry ARGS...` to its end: its exit status; SIGTERM to it (then its status) when the
// demo is interrupted. kUnavailable when it could not start.
absl::StatusOr<int> RunFerry(const std::vector<std::string>& args, const std::string& log);
// Waits for a spawned child: its exit status (128 + signal).
int WaitChild(int pid);
// SIGTERM to a spawned child's group, then waits (SIGKILL after `grace`).
int StopChild(int pid, std::chrono::milliseconds grace = std::chrono::seconds(15));

// Whether something listens on or holds 127.0.0.1:`port` (binding it fails).
bool PortInUse(const std::string& host, int port);

// Whether GET `url` + `path` answers 200.
bool Answers(const std::string& url, const std::string& path);
// GET `url` + `path` as JSON; kUnavailable/kNotFound/... with the server's words otherwise.
absl::StatusOr<JsonValue> GetJson(const std::string& url, const std::string& path);

// The last lines of a log file, for an error message.
std::string LogTail(const std::string& path, size_t lines = 15);

}  // namespace ferry::cli::demo
