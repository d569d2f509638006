#include "integration/test_server.h"

#include "common/fs.h"
#include "common/testing/test_dir.h"
#include "gtest/gtest.h"

namespace ferry::testing {

TestServer::TestServer(const std::function<void(cli::ServerConfig&)>& adjust) {
  dir_ = TestDir("ferry-test").Release();
  cli::ServerConfig config;
  config.port = 0;
  config.threads = 4;
  config.access_log = false;
  config.backend_store_uri = "sqlite:///" + dir_ + "/ferry.db";
  config.artifacts_destination = "file://" + dir_ + "/artifacts";
  if (adjust) adjust(config);
  auto instance = app::Instance::Start(config);
  if (!instance.ok()) {
    ADD_FAILURE() << "cannot start Ferry: " << instance.status();
    std::abort();
  }
  instance_ = std::move(*instance);
}

TestServer::~TestServer() {
  instance_->Shutdown(1000);
  instance_.reset();
  (void)RemoveTree(dir_);
}

net::HttpClient TestServer::client() const { return *net::HttpClient::ForUri(url()); }

net::ClientResponse TestServer::Post(const std::string& path, const std::string& json) const {
  auto resp = client().Send("POST", "/api/2.0/mlflow" + path, json);
  EXPECT_TRUE(resp.ok()) << resp.status();
  return resp.ok() ? *resp : net::ClientResponse{};
}

net::ClientResponse TestServer::Get(const std::string& path_and_query) const {
  auto resp = client().Send("GET", path_and_query);
  EXPECT_TRUE(resp.ok()) << resp.status();
  return resp.ok() ? *resp : net::ClientResponse{};
}

}  // namespace ferry::testing
