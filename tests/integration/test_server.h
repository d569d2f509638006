#pragma once
// Test support: an in-process Ferry on 127.0.0.1:<free port> with its own temp data dir,
// and helpers to call it.

#include <memory>
#include <string>

#include "app/instance.h"
#include "http/client/http_client.h"

namespace ferry::testing {

class TestServer {
 public:
  // Starts Ferry with SQLite and artifacts under a fresh temp dir. Aborts the test on failure.
  TestServer();
  ~TestServer();

  int port() const { return instance_->port(); }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }
  const std::string& data_dir() const { return dir_; }
  http::HttpClient client() const;
  // POSTs JSON to /api/2.0/mlflow + path and returns the response.
  http::ClientResponse Post(const std::string& path, const std::string& json) const;
  http::ClientResponse Get(const std::string& path_and_query) const;

 private:
  std::string dir_;
  std::unique_ptr<app::Instance> instance_;
};

}  // namespace ferry::testing
