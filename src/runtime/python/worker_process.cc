#include "runtime/python/worker_process.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <thread>

#include "common/process.h"
#include "common/strings.h"

namespace ferry::runtime::python {
namespace {

constexpr size_t kTailBytes = 8192;
constexpr int kWorkerFd = 3;
constexpr int kArenaFd = 4;
constexpr uint64_t kArenaGrain = uint64_t{1} << 20;

std::vector<char*> CStrings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (std::string& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Runs in the child between fork and exec: async-signal-safe calls only. Reports a failure
// as its errno on `report` (close-on-exec, so a successful exec closes it silently).
[[noreturn]] void ChildExec(char* const* argv, char* const* envp, const char* home, int sock,
                            int arena, int err_w, int report, pid_t parent, uint64_t memory_limit) {
  auto fail = [&](int err) {
    (void)!write(report, &err, sizeof err);
    _exit(127);
  };
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) fail(errno);
  if (getppid() != parent) _exit(126);  // the parent died before the prctl took effect
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) fail(errno);
  if (setpgid(0, 0) != 0) fail(errno);
  if (memory_limit > 0) {
    rlimit lim{memory_limit, memory_limit};
    if (setrlimit(RLIMIT_AS, &lim) != 0) fail(errno);
  }
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0 || dup2(null_fd, 0) < 0) fail(errno);
  if (dup2(err_w, 1) < 0 || dup2(err_w, 2) < 0) fail(errno);
  // The socket becomes fd 3 and the arena fd 4 (dup2 clears close-on-exec), by way of fds
  // above both, so neither move can overwrite the other's source.
  const int high_sock = fcntl(sock, F_DUPFD, 16);
  const int high_arena = fcntl(arena, F_DUPFD, 16);
  if (high_sock < 0 || high_arena < 0) fail(errno);
  if (dup2(high_sock, kWorkerFd) < 0 || dup2(high_arena, kArenaFd) < 0) fail(errno);
  // Nothing else of ours reaches Python: every other descriptor closes at exec.
  (void)syscall(SYS_close_range, kArenaFd + 1, ~0U, CLOSE_RANGE_CLOEXEC);
  if (chdir(home) != 0) fail(errno);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execve(argv[0], argv, envp);
  fail(errno);
  _exit(127);
}

}  // namespace

std::vector<std::string> WorkerEnvironment(const WorkerLaunch& launch) {
  const std::string bin = launch.interpreter.substr(0, launch.interpreter.rfind('/'));
  const std::string threads = std::to_string(launch.threads);
  return {
      StrCat("PATH=", bin.empty() ? "" : bin + ":", "/usr/local/bin:/usr/bin:/bin"),
      StrCat("HOME=", launch.home),
      "LANG=C.UTF-8",
      "PYTHONNOUSERSITE=1",
      "PYTHONDONTWRITEBYTECODE=1",
      StrCat("OMP_NUM_THREADS=", threads),
      StrCat("OPENBLAS_NUM_THREADS=", threads),
      StrCat("MKL_NUM_THREADS=", threads),
  };
}

// PR_SET_PDEATHSIG fires when the *thread* that forked the child exits, not the process. So
// every worker is forked by one thread that lives as long as the process: a worker started
// while serving a request, or by a loader thread that then ends, lives on.
struct SpawnJob {
  const std::function<void()>* task;
  bool done = false;
};

// The spawner thread's queue. One per process: a forked child (a test) inherits the parent's
// but not its thread, and a condition variable with the parent's waiters in it is unusable,
// so the child makes a fresh one (the old one is leaked on purpose).
struct Spawner {
  explicit Spawner(pid_t owner) : pid(owner) {}
  const pid_t pid;
  std::mutex mu;
  std::condition_variable cv;
  std::deque<SpawnJob*> queue;  // guarded by mu

  void Loop() {
    std::unique_lock<std::mutex> lock(mu);
    for (;;) {
      cv.wait(lock, [this] { return !queue.empty(); });
      SpawnJob* job = queue.front();
      queue.pop_front();
      lock.unlock();
      (*job->task)();
      lock.lock();
      job->done = true;
      cv.notify_all();
    }
  }
};

Spawner& ThisProcessSpawner() {
  static std::atomic<Spawner*> current{nullptr};
  static std::mutex create_mu;
  Spawner* s = current.load();
  if (s != nullptr && s->pid == getpid()) return *s;
  std::lock_guard<std::mutex> lock(create_mu);
  s = current.load();
  if (s == nullptr || s->pid != getpid()) {
    s = new Spawner(getpid());
    std::thread([s] { s->Loop(); }).detach();
    current = s;
  }
  return *s;
}

void RunOnSpawnerThread(const std::function<void()>& task) {
  Spawner& spawner = ThisProcessSpawner();
  SpawnJob job{&task};
  std::unique_lock<std::mutex> lock(spawner.mu);
  spawner.queue.push_back(&job);
  spawner.cv.notify_all();
  spawner.cv.wait(lock, [&] { return job.done; });
}

absl::StatusOr<std::unique_ptr<WorkerProcess>> WorkerProcess::Spawn(const WorkerLaunch& launch) {
  absl::StatusOr<std::unique_ptr<WorkerProcess>> out = absl::UnknownError("not run");
  RunOnSpawnerThread([&] { out = SpawnOnThisThread(launch); });
  return out;
}

absl::StatusOr<std::unique_ptr<WorkerProcess>> WorkerProcess::SpawnOnThisThread(
    const WorkerLaunch& launch) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    return ErrnoStatus(errno, "socketpair", "worker socket");
  }
  Fd ours(sv[0]), theirs(sv[1]);
  int errp[2], rep[2];
  if (pipe2(errp, O_CLOEXEC) != 0) return ErrnoStatus(errno, "pipe2", "worker stderr");
  Fd err_r(errp[0]), err_w(errp[1]);
  if (pipe2(rep, O_CLOEXEC) != 0) return ErrnoStatus(errno, "pipe2", "worker exec report");
  Fd rep_r(rep[0]), rep_w(rep[1]);

  Fd arena(memfd_create("ferry-worker-arena", MFD_CLOEXEC));
  if (!arena.valid()) return ErrnoStatus(errno, "memfd_create", "worker arena");
  std::vector<std::string> args = {launch.interpreter, "-s", "-B", "-c", launch.script, "3", "4"};
  std::vector<std::string> env = WorkerEnvironment(launch);
  std::vector<char*> argv = CStrings(args), envp = CStrings(env);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) return ErrnoStatus(errno, "fork", launch.interpreter);
  if (pid == 0) {
    ChildExec(argv.data(), envp.data(), launch.home.c_str(), theirs.get(), arena.get(), err_w.get(),
              rep_w.get(), parent, launch.memory_limit_bytes);
  }
  theirs.Close();
  err_w.Close();
  rep_w.Close();
  int child_errno = 0;
  ssize_t n;
  do {
    n = read(rep_r.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n == sizeof child_errno) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return absl::InvalidArgumentError(StrCat("cannot start the Python worker ", launch.interpreter,
                                             ": ", std::strerror(child_errno)));
  }
  fcntl(err_r.get(), F_SETFL, O_NONBLOCK);
  return std::unique_ptr<WorkerProcess>(
      new WorkerProcess(pid, std::move(ours), std::move(err_r), std::move(arena)));
}

WorkerProcess::~WorkerProcess() {
  Kill();
  Reap();
  if (mapped_.base != nullptr) munmap(mapped_.base, mapped_.size);
}

absl::StatusOr<ArenaSpan> WorkerProcess::Arena(uint64_t bytes) {
  if (bytes <= mapped_.size) return mapped_;
  const uint64_t size = (std::max(bytes, 2 * mapped_.size) / kArenaGrain + 1) * kArenaGrain;
  if (ftruncate(arena_.get(), static_cast<off_t>(size)) != 0) {
    return ErrnoStatus(errno, "ftruncate", "worker arena");
  }
  void* base = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_SHARED, arena_.get(), 0);
  if (base == MAP_FAILED) return ErrnoStatus(errno, "mmap", "worker arena");
  if (mapped_.base != nullptr) munmap(mapped_.base, mapped_.size);
  mapped_ = ArenaSpan{static_cast<char*>(base), size};
  return mapped_;
}

void WorkerProcess::Kill() {
  std::lock_guard<std::mutex> lock(mu_);
  if (killed_ || exit_) return;
  killed_ = true;
  SignalProcess(pid_, SIGKILL);
}

void WorkerProcess::DrainStderr() {
  std::lock_guard<std::mutex> lock(mu_);
  char buf[4096];
  for (;;) {
    const ssize_t n = read(stderr_.get(), buf, sizeof buf);
    if (n <= 0) break;
    tail_.append(buf, static_cast<size_t>(n));
    if (tail_.size() > 2 * kTailBytes) tail_.erase(0, tail_.size() - kTailBytes);
  }
}

std::string WorkerProcess::StderrTail() {
  DrainStderr();
  std::lock_guard<std::mutex> lock(mu_);
  std::string out = tail_.size() > kTailBytes ? tail_.substr(tail_.size() - kTailBytes) : tail_;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

std::optional<int> WorkerProcess::TryReap() {
  std::lock_guard<std::mutex> lock(mu_);
  if (!exit_) {
    std::optional<int> status = TryReapProcess(pid_);
    if (status) exit_ = *status;
  }
  return exit_;
}

int WorkerProcess::Reap() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (exit_) return *exit_;
      int status = 0;
      const pid_t r = waitpid(pid_, &status, 0);
      if (r == pid_) {
        exit_ = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
        return *exit_;
      }
      if (r < 0 && errno != EINTR) {
        exit_ = -1;
        return -1;
      }
    }
  }
}

}  // namespace ferry::runtime::python
