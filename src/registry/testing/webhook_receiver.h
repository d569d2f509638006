#pragma once
// A raw TCP webhook receiver for tests: it counts connections, keeps the body of each POST
// and answers with the next status of its script (then 200; a 3xx with a Location back to
// itself), or, as a black hole, accepts
// connections and never answers. Listens on 127.0.0.1 or ::1 with a free port.

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ferry::registry::testing {

class WebhookReceiver {
 public:
  enum class Mode { kAnswer, kBlackHole };

  // `ipv6`: listen on ::1 (ok() is false when the host has no IPv6 loopback).
  explicit WebhookReceiver(std::vector<int> script = {}, Mode mode = Mode::kAnswer,
                           bool ipv6 = false);
  ~WebhookReceiver();

  bool ok() const { return listen_fd_ >= 0; }
  int port() const { return port_; }
  // http://127.0.0.1:<port>/hook (or http://[::1]:<port>/hook).
  std::string url() const;
  // Switches between answering and holding connections (held ones stay silent).
  void set_mode(Mode mode) { mode_ = mode; }

  int connections() const { return connections_; }
  // The bodies of the requests answered so far.
  std::vector<std::string> bodies();
  // Waits up to `timeout_ms` until `n` requests were answered; returns the bodies.
  std::vector<std::string> WaitFor(size_t n, int timeout_ms = 10000);

 private:
  void AcceptLoop();
  void Serve(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  bool ipv6_ = false;
  std::vector<int> script_;
  std::atomic<Mode> mode_;
  std::atomic<int> connections_{0};
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> bodies_;
  std::vector<int> held_;  // black-holed connections, closed at destruction
  std::thread thread_;
};

}  // namespace ferry::registry::testing
