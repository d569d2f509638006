#include "common/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "common/fs.h"

extern char** environ;

namespace ferry {
namespace {

using Clock = std::chrono::steady_clock;

volatile sig_atomic_t g_forward_pid = 0;

void ForwardSignal(int sig) {
  if (g_forward_pid > 0) ::kill(g_forward_pid, sig);
}

std::vector<std::string> Environment(const std::map<std::string, std::string>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view kv(*e);
    if (extra.count(std::string(kv.substr(0, kv.find('='))))) continue;
    env.emplace_back(kv);
  }
  for (const auto& [k, v] : extra) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// posix_spawnp with our environment plus `extra_env`; the one spawn of the tree. Returns
// posix_spawn's error number (0: started, pid in *pid).
int Spawn(const std::vector<std::string>& argv, const posix_spawn_file_actions_t& actions,
          bool own_process_group, bool default_signals,
          const std::map<std::string, std::string>& extra_env, pid_t* pid) {
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  short flags = 0;
  if (own_process_group) {
    flags |= POSIX_SPAWN_SETPGROUP;
    posix_spawnattr_setpgroup(&attr, 0);
  }
  sigset_t defaults;
  if (default_signals) {  // the child handles what we forward, even if we ignore it
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    flags |= POSIX_SPAWN_SETSIGDEF;
  }
  posix_spawnattr_setflags(&attr, flags);
  const std::vector<std::string> env = Environment(extra_env);
  std::vector<char*> c_argv = CStrings(argv), c_env = CStrings(env);
  int rc = ::posix_spawnp(pid, argv[0].c_str(), &actions, &attr, c_argv.data(), c_env.data());
  posix_spawnattr_destroy(&attr);
  return rc;
}

absl::Status CannotExecute(const std::string& program, int rc) {
  return absl::InvalidArgumentError("cannot execute \"" + program + "\": " + std::strerror(rc));
}

// Best effort: a sink that fails (a closed terminal, a full disk) is skipped for this chunk.
void CopyTo(int fd, std::string_view data) {
  if (fd >= 0) (void)WriteAll(fd, data, "output copy");
}

int RemainingMs(const ProcessOptions& o, Clock::time_point deadline) {
  if (o.timeout.count() <= 0) return -1;
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(std::min<int64_t>(left.count(), 1 << 30));
}

// Where one of the child's streams goes besides the pipe: our fd (echo) and a file.
struct Sink {
  int pipe = -1;
  int ours = -1;
  int file = -1;
};

// Copies the pipes to their sinks and the tail until both reach EOF or the deadline passes.
// True if the deadline passed first.
bool Pump(Sink (&sinks)[2], const ProcessOptions& o, Clock::time_point deadline,
          std::string& tail) {
  pollfd fds[2] = {{sinks[0].pipe, POLLIN, 0}, {sinks[1].pipe, POLLIN, 0}};
  char buf[65536];
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    int rc = ::poll(fds, 2, RemainingMs(o, deadline));
    if (rc < 0 && errno == EINTR) continue;
    if (rc < 0) return false;
    if (rc == 0) return true;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        continue;
      }
      const size_t len = static_cast<size_t>(n);
      CopyTo(sinks[i].ours, std::string_view(buf, len));
      CopyTo(sinks[i].file, std::string_view(buf, len));
      if (o.tail_bytes > 0) {
        tail.append(buf, len);
        if (tail.size() > o.tail_bytes) tail.erase(0, tail.size() - o.tail_bytes);
      }
    }
  }
  return false;
}

void Kill(pid_t pid, const ProcessOptions& o) { ::kill(o.own_process_group ? -pid : pid, SIGKILL); }

// Waits for `pid`; kills it at the deadline (it may have closed its output and run on).
int Reap(pid_t pid, const ProcessOptions& o, Clock::time_point deadline, bool& timed_out) {
  int status = 0;
  for (;;) {
    const bool block = timed_out || o.timeout.count() <= 0;
    pid_t r = ::waitpid(pid, &status, block ? 0 : WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return status;
    if (r < 0) continue;
    if (Clock::now() >= deadline) {
      timed_out = true;
      Kill(pid, o);
      continue;
    }
    timespec ts{0, 5 * 1000 * 1000};
    ::nanosleep(&ts, nullptr);
  }
}

// Opens the copy of one stream; -1 when not asked for.
absl::StatusOr<int> OpenCopy(const std::string& path) {
  if (path.empty()) return -1;
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus(errno, "open", path);
  return fd;
}

// Forwards SIGINT/SIGTERM to `pid` while alive; restores the previous handlers.
class SignalForwarder {
 public:
  SignalForwarder(bool on, pid_t pid) : on_(on) {
    if (!on_) return;
    g_forward_pid = pid;
    struct sigaction sa {};
    sa.sa_handler = ForwardSignal;
    ::sigaction(SIGINT, &sa, &old_int_);
    ::sigaction(SIGTERM, &sa, &old_term_);
  }
  ~SignalForwarder() {
    if (!on_) return;
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
    g_forward_pid = 0;
  }

 private:
  bool on_;
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

}  // namespace

absl::StatusOr<ProcessResult> RunProcess(const std::vector<std::string>& argv,
                                         const ProcessOptions& o) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  Sink sinks[2];
  sinks[0].ours = o.echo ? STDOUT_FILENO : -1;
  sinks[1].ours = o.echo ? STDERR_FILENO : -1;
  absl::StatusOr<int> out_copy = OpenCopy(o.stdout_file), err_copy = OpenCopy(o.stderr_file);
  sinks[0].file = out_copy.ok() ? *out_copy : -1;
  sinks[1].file = err_copy.ok() ? *err_copy : -1;
  int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  absl::Status s = !out_copy.ok() ? out_copy.status() : err_copy.status();
  if (s.ok() && ::pipe2(out_pipe, O_CLOEXEC) != 0) s = ErrnoStatus(errno, "pipe", "");
  if (s.ok() && !o.discard_stderr && ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    s = ErrnoStatus(errno, "pipe", "");
  }
  pid_t pid = 0;
  if (s.ok()) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (o.stdin_null) {
      posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    }
    posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
    if (o.discard_stderr) {
      posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    } else {
      posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
    }
    int rc = Spawn(argv, actions, o.own_process_group, o.forward_signals, o.extra_env, &pid);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) s = CannotExecute(argv[0], rc);
  }
  for (int fd : {out_pipe[1], err_pipe[1]}) {
    if (fd >= 0) ::close(fd);
  }
  sinks[0].pipe = out_pipe[0];
  sinks[1].pipe = err_pipe[0];
  ProcessResult result;
  if (s.ok()) {
    const Clock::time_point start = Clock::now(), deadline = start + o.timeout;
    SignalForwarder forwarder(o.forward_signals, pid);
    if (Pump(sinks, o, deadline, result.output_tail)) {
      result.timed_out = true;
      Kill(pid, o);
    }
    const int status = Reap(pid, o, deadline, result.timed_out);
    result.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
    result.signaled = WIFSIGNALED(status);
    result.exit_code = result.signaled ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  }
  for (const Sink& sink : sinks) {
    if (sink.pipe >= 0) ::close(sink.pipe);
    if (sink.file >= 0) ::close(sink.file);
  }
  if (!s.ok()) return s;
  return result;
}

absl::StatusOr<int> SpawnProcess(const std::vector<std::string>& argv, const SpawnOptions& o) {
  if (argv.empty()) return absl::InvalidArgumentError("empty command");
  Fd out;
  if (!o.output_file.empty()) {
    out = Fd(::open(o.output_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    if (!out.valid()) return ErrnoStatus(errno, "open", o.output_file);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (out.valid()) {
    posix_spawn_file_actions_adddup2(&actions, out.get(), STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out.get(), STDERR_FILENO);
  } else {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  }
  if (!o.work_dir.empty()) posix_spawn_file_actions_addchdir_np(&actions, o.work_dir.c_str());
  pid_t pid = 0;
  int rc = Spawn(argv, actions, o.own_process_group, true, o.extra_env, &pid);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return CannotExecute(argv[0], rc);
  return static_cast<int>(pid);
}

std::optional<int> TryReapProcess(int pid) {
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == 0) return std::nullopt;
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  }
}

void SignalProcess(int pid, int sig) {
  if (pid > 0) ::kill(-pid, sig);
}

std::vector<int> ProcessesWithEnv(const std::string& entry) {
  std::vector<int> out;
  absl::StatusOr<std::vector<std::string>> names = ListDir("/proc");
  if (!names.ok()) return out;
  const int self = static_cast<int>(::getpid());
  for (const std::string& name : *names) {
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const int pid = std::atoi(name.c_str());
    if (pid == self) continue;
    absl::StatusOr<std::string> env = ReadFile("/proc/" + name + "/environ");
    if (!env.ok()) continue;
    // NUL-separated entries: match a whole one.
    for (size_t at = 0; at < env->size();) {
      const size_t end = std::min(env->find('\0', at), env->size());
      if (std::string_view(*env).substr(at, end - at) == entry) {
        out.push_back(pid);
        break;
      }
      at = end + 1;
    }
  }
  return out;
}

std::string CaptureCommand(const std::vector<std::string>& argv) {
  ProcessOptions o;
  o.stdin_null = true;
  o.discard_stderr = true;
  o.tail_bytes = 1 << 20;
  auto r = RunProcess(argv, o);
  if (!r.ok() || r->exit_code != 0) return "";
  std::string out = std::move(r->output_tail);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace ferry
