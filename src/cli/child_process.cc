#include "cli/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "common/fs.h"

namespace ferry::cli {
namespace {

volatile sig_atomic_t g_child_pid = 0;

void ForwardSignal(int sig) {
  if (g_child_pid > 0) ::kill(g_child_pid, sig);
}

void WriteFully(int fd, const char* data, size_t len) {
  while (len > 0) {
    ssize_t n = ::write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    len -= static_cast<size_t>(n);
  }
}

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// Copies both pipes to (our fd, file fd) pairs until both reach EOF.
void Pump(int out_pipe, int err_pipe, int out_file, int err_file) {
  pollfd fds[2] = {{out_pipe, POLLIN, 0}, {err_pipe, POLLIN, 0}};
  int targets[2][2] = {{STDOUT_FILENO, out_file}, {STDERR_FILENO, err_file}};
  int open_count = 2;
  char buf[65536];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[i].fd = -1;
        --open_count;
        continue;
      }
      WriteFully(targets[i][0], buf, static_cast<size_t>(n));
      WriteFully(targets[i][1], buf, static_cast<size_t>(n));
    }
  }
}

}  // namespace

absl::StatusOr<ChildResult> RunChild(const std::vector<std::string>& argv,
                                     const std::map<std::string, std::string>& extra_env,
                                     const std::string& stdout_file,
                                     const std::string& stderr_file) {
  int out_file = ::open(stdout_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  int err_file = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (out_file < 0 || err_file < 0) return ErrnoStatus(errno, "open", stdout_file);
  int out_pipe[2], err_pipe[2], exec_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) || ::pipe2(err_pipe, O_CLOEXEC) ||
      ::pipe2(exec_pipe, O_CLOEXEC)) {
    return ErrnoStatus(errno, "pipe", "");
  }
  auto start = std::chrono::steady_clock::now();
  pid_t pid = ::fork();
  if (pid < 0) return ErrnoStatus(errno, "fork", argv[0]);
  if (pid == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::dup2(err_pipe[1], STDERR_FILENO);
    for (const auto& [k, v] : extra_env) ::setenv(k.c_str(), v.c_str(), 1);
    auto cargv = CStrings(argv);
    ::execvp(cargv[0], cargv.data());
    int err = errno;
    WriteFully(exec_pipe[1], reinterpret_cast<const char*>(&err), sizeof(err));
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ::close(exec_pipe[1]);
  g_child_pid = pid;
  struct sigaction sa {};
  sa.sa_handler = ForwardSignal;
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
  int exec_errno = 0;
  ssize_t got = ::read(exec_pipe[0], &exec_errno, sizeof(exec_errno));
  ::close(exec_pipe[0]);
  Pump(out_pipe[0], err_pipe[0], out_file, err_file);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  g_child_pid = 0;
  ::close(out_pipe[0]);
  ::close(err_pipe[0]);
  ::close(out_file);
  ::close(err_file);
  if (got == sizeof(exec_errno)) {
    return absl::NotFoundError("cannot execute '" + argv[0] + "': " + std::strerror(exec_errno));
  }
  ChildResult result;
  result.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  if (WIFSIGNALED(status)) {
    result.signaled = true;
    result.exit_code = 128 + WTERMSIG(status);
  } else {
    result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

std::string CaptureCommand(const std::vector<std::string>& argv) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return "";
  pid_t pid = ::fork();
  if (pid < 0) return "";
  if (pid == 0) {
    ::dup2(p[1], STDOUT_FILENO);
    int devnull = ::open("/dev/null", O_WRONLY);
    ::dup2(devnull, STDERR_FILENO);
    auto cargv = CStrings(argv);
    ::execvp(cargv[0], cargv.data());
    ::_exit(127);
  }
  ::close(p[1]);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(p[0], buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(p[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return "";
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

}  // namespace ferry::cli
