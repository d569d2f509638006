#pragma once
// One libcurl transfer: the callbacks that stream a request body in (from memory or a file
// range), stream the response out (to memory or, for 2xx answers, to a file), collect the
// final response's headers, enforce the response size limit and vet each socket's address.
// Internal to net/.

#include <curl/curl.h>

#include <cstdint>
#include <string>

#include "common/fs.h"
#include "net/http_client.h"

namespace ferry::net {

class Transfer {
 public:
  Transfer(const ClientRequest& request, const AddressFilter* filter, std::string host)
      : req_(request), filter_(filter), host_(std::move(host)) {}
  Transfer(const Transfer&) = delete;
  Transfer& operator=(const Transfer&) = delete;

  // Opens the body file (if any) and returns the body length.
  absl::StatusOr<int64_t> OpenBody();
  // Installs the callbacks on `curl`.
  void Install(CURL* curl);
  // After curl_easy_perform: creates an empty response file for a 2xx answer without body.
  absl::Status Finish(int status);

  // The error a callback stopped the transfer with (OK when none did).
  const absl::Status& callback_error() const { return error_; }
  // Set when the address filter refused a connection.
  const absl::Status& refusal() const { return refusal_; }
  ClientResponse& response() { return resp_; }

 private:
  static size_t OnRead(char* buf, size_t size, size_t n, void* self);
  static size_t OnWrite(char* data, size_t size, size_t n, void* self);
  static size_t OnHeader(char* data, size_t size, size_t n, void* self);
  static int OnProgress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t);
  static curl_socket_t OnOpenSocket(void* self, curlsocktype purpose, curl_sockaddr* addr);

  size_t Read(char* buf, size_t len);
  size_t Write(const char* data, size_t len);
  absl::Status OpenResponseFile();

  const ClientRequest& req_;
  const AddressFilter* filter_;
  std::string host_;
  CURL* curl_ = nullptr;
  Fd in_fd_;
  Fd out_fd_;
  bool out_decided_ = false;  // whether the body goes to the file was decided
  int64_t in_pos_ = 0;        // bytes of the body sent so far
  int64_t in_len_ = 0;
  absl::Status error_;
  absl::Status refusal_;
  ClientResponse resp_;
};

}  // namespace ferry::net
