#pragma once
// Test support: an in-process Ferry on 127.0.0.1:<free port> with its own temp data dir,
// and helpers to call it.

#include <functional>
#include <memory>
#include <string>

#include "app/instance.h"
#include "net/http_client.h"

namespace ferry::testing {

class TestServer {
 public:
  // Starts Ferry with SQLite and artifacts under a fresh temp dir, after `adjust` (when
  // given) changed the configuration. Aborts the test on failure.
  explicit TestServer(const std::function<void(cli::ServerConfig&)>& adjust = {});
  ~TestServer();

  int port() const { return instance_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  const std::string& data_dir() const { return dir_; }
  net::HttpClient client() const;
  // POSTs JSON to /api/2.0/mlflow + path and returns the response.
  net::ClientResponse Post(const std::string& path, const std::string& json) const;
  net::ClientResponse Get(const std::string& path_and_query) const;

 private:
  std::string dir_;
  std::unique_ptr<app::Instance> instance_;
};

}  // namespace ferry::testing
