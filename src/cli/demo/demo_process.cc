#include "cli/demo/demo_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <thread>

#include "common/fs.h"
#include "common/process.h"
#include "net/http_client.h"

namespace ferry::cli::demo {

std::atomic<bool> g_interrupted{false};

namespace {

void OnSignal(int) { g_interrupted.store(true); }

}  // namespace

void InstallInterruptHandler() {
  struct sigaction sa = {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

double Progress::Seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::Say(const std::string& phase, const std::string& text) const {
  std::printf("[%6.1fs] %-9s %s\n", Seconds(), phase.c_str(), text.c_str());
  std::fflush(stdout);
}

std::string SelfExe() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "ferry";
  return std::string(buf, static_cast<size_t>(n));
}

absl::StatusOr<int> SpawnFerry(const std::vector<std::string>& args, const std::string& log) {
  std::vector<std::string> argv = {SelfExe()};
  argv.insert(argv.end(), args.begin(), args.end());
  SpawnOptions o;
  o.output_file = log;
  o.own_process_group = true;
  // Sub-commands find `ferry` on PATH too (pipeline command steps run `ferry ...`).
  const char* path = std::getenv("PATH");
  std::string dir = SelfExe();
  dir = dir.substr(0, dir.rfind('/'));
  o.extra_env["PATH"] = dir + (path != nullptr ? ":" + std::string(path) : "");
  return SpawnProcess(argv, o);
}

int WaitChild(int pid) {
  for (;;) {
    if (std::optional<int> rc = TryReapProcess(pid)) return *rc;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

int StopChild(int pid, std::chrono::milliseconds grace) {
  SignalProcess(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + grace;
  for (;;) {
    if (std::optional<int> rc = TryReapProcess(pid)) return *rc;
    if (std::chrono::steady_clock::now() > deadline) {
      SignalProcess(pid, SIGKILL);
      return WaitChild(pid);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

absl::StatusOr<int> RunFerry(const std::vector<std::string>& args, const std::string& log) {
  ASSIGN_OR_RETURN(int pid, SpawnFerry(args, log));
  for (;;) {
    if (std::optional<int> rc = TryReapProcess(pid)) return *rc;
    if (g_interrupted.load()) return StopChild(pid);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

bool PortInUse(const std::string& host, int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr = {};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::inet_pton(AF_INET, host.c_str(), &addr.sin_addr) != 1) {
    ::close(fd);
    return false;
  }
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  const bool busy = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0;
  ::close(fd);
  return busy;
}

bool Answers(const std::string& url, const std::string& path) {
  auto client = net::HttpClient::ForUri(url);
  if (!client.ok()) return false;
  client->set_timeout_ms(2000);
  auto r = client->Send("GET", path);
  return r.ok() && r->status == 200;
}

absl::StatusOr<JsonValue> GetJson(const std::string& url, const std::string& path) {
  ASSIGN_OR_RETURN(net::HttpClient client, net::HttpClient::ForUri(url));
  client.set_timeout_ms(10000);
  ASSIGN_OR_RETURN(net::ClientResponse r, client.Send("GET", path));
  if (r.status != 200) {
    return absl::UnavailableError("GET " + path + ": HTTP " + std::to_string(r.status) + " " +
                                  r.body.substr(0, 300));
  }
  return ParseJson(r.body);
}

std::string LogTail(const std::string& path, size_t lines) {
  auto text = ReadFile(path);
  if (!text.ok()) return "";
  std::string s = *text;
  size_t at = s.size();
  for (size_t n = 0; n <= lines && at != std::string::npos && at > 0; ++n) {
    at = s.rfind('\n', at - 1);
  }
  return at == std::string::npos ? s : s.substr(at + 1);
}

}  // namespace ferry::cli::demo
