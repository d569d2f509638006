#include "net/http_client.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>

#include "common/strings.h"
#include "net/transfer.h"
#include "net/url.h"

namespace ferry::net {
namespace {

struct EasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct ListDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool IsAbsolute(const std::string& target) {
  std::string head = ToLower(target.substr(0, 8));
  return StartsWith(head, "http://") || StartsWith(head, "https://");
}

// The Status for a failed curl_easy_perform.
absl::Status PerformError(CURLcode rc, const char* detail, const std::string& origin,
                          const std::string& hint) {
  std::string what = *detail ? detail : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT: {
      std::string msg = "Cannot connect to " + origin + " (" + what + ").";
      return absl::UnavailableError(hint.empty() ? msg : msg + " " + hint);
    }
    case CURLE_OPERATION_TIMEDOUT:
      return absl::DeadlineExceededError("timed out talking to " + origin + ": " + what);
    case CURLE_PARTIAL_FILE:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_CONTENT_ENCODING:
      return absl::DataLossError("malformed response from " + origin + ": " + what);
    case CURLE_URL_MALFORMAT:
      return absl::InvalidArgumentError("bad URL for " + origin + ": " + what);
    case CURLE_TOO_MANY_REDIRECTS:
      return absl::FailedPreconditionError("too many redirects from " + origin + ": " + what);
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
      return absl::UnavailableError("TLS with " + origin + " failed: " + what);
    default:
      return absl::UnavailableError("request to " + origin + " failed: " + what);
  }
}

bool SendsBody(const ClientRequest& req, int64_t length) {
  return length > 0 || req.method == "POST" || req.method == "PUT" || req.method == "PATCH";
}

}  // namespace

std::string ClientResponse::Header(const std::string& name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

absl::StatusOr<HttpClient> HttpClient::ForUri(const std::string& uri) {
  GlobalInit();
  ASSIGN_OR_RETURN(HttpUrl url, ParseHttpUrl(uri));
  std::string prefix = url.path;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  return HttpClient(uri, url.scheme + "://" + url.host + ":" + url.port, url.host, prefix);
}

absl::StatusOr<ClientResponse> HttpClient::Do(const ClientRequest& req) const {
  std::string url = origin_ + prefix_ + req.target;
  std::string origin = origin_;
  std::string host = host_;
  if (IsAbsolute(req.target)) {
    ASSIGN_OR_RETURN(HttpUrl target, ParseHttpUrl(req.target));
    url = req.target;
    origin = target.Origin();
    host = target.host;
  }
  std::unique_ptr<CURL, EasyDeleter> curl(curl_easy_init());
  if (!curl) {
    return absl::ResourceExhaustedError(std::string("cannot start an HTTP transfer: ") +
                                        curl_easy_strerror(CURLE_FAILED_INIT));
  }
  CURL* c = curl.get();
  Transfer transfer(req, &filter_, BareHost(host));
  ASSIGN_OR_RETURN(int64_t length, transfer.OpenBody());

  std::unique_ptr<curl_slist, ListDeleter> headers;
  bool has_agent = false;
  bool has_authorization = false;
  auto add = [&](const std::string& line) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  };
  for (const auto& [k, v] : req.headers) {
    add(k + ": " + v);
    has_agent |= ToLower(k) == "user-agent";
    has_authorization |= ToLower(k) == "authorization";
  }
  if (origin == origin_) {
    if (!authorization_.empty() && !has_authorization) add("Authorization: " + authorization_);
    for (const auto& [k, v] : origin_headers_) add(k + ": " + v);
  }
  // libcurl's SigV4 signer signs every header in this list, even an empty one that only
  // removes a header, so a signed request keeps 100-continue rather than sign "expect:".
  const bool sign = !sigv4_scope_.empty() && origin == origin_;
  if (!sign) add("Expect:");  // no 100-continue round trip before bodies

  char detail[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, detail);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);  // send "/../" as given, as the caller asked
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  if (req.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (req.method != "GET" || SendsBody(req, length)) {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
  }
  if (SendsBody(req, length)) {
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(length));
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  if (!has_agent) curl_easy_setopt(c, CURLOPT_USERAGENT, "ferry/" FERRY_VERSION);
  if (sign) {
    curl_easy_setopt(c, CURLOPT_AWS_SIGV4, sigv4_scope_.c_str());
    curl_easy_setopt(c, CURLOPT_USERNAME, sigv4_key_id_.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, sigv4_secret_.c_str());
  }
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_ms_));
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>((timeout_ms_ + 999) / 1000));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(total_timeout_ms_));
  if (max_redirects_ > 0) {
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, static_cast<long>(max_redirects_));
  }
  if (!ca_file_.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, ca_file_.c_str());
  // The certificate itself is the trust anchor (curl accepts a partial chain) and the name
  // is not checked.
  if (pinned_) curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  if (filter_) curl_easy_setopt(c, CURLOPT_PROXY, "");
  transfer.Install(c);

  CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK && !transfer.refusal().ok()) {
    return absl::PermissionDeniedError(std::string(StatusMessage(transfer.refusal())));
  }
  if (!transfer.callback_error().ok()) return transfer.callback_error();
  if (rc != CURLE_OK) return PerformError(rc, detail, origin, hint_);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  ClientResponse& resp = transfer.response();
  resp.status = static_cast<int>(status);
  RETURN_IF_ERROR(transfer.Finish(resp.status));
  return std::move(resp);
}

absl::StatusOr<ClientResponse> HttpClient::Send(const std::string& method,
                                                const std::string& target, const std::string& body,
                                                const std::string& content_type) const {
  ClientRequest req;
  req.method = method;
  req.target = target;
  req.body = body;
  if (!content_type.empty()) req.headers.emplace_back("Content-Type", content_type);
  return Do(req);
}

absl::StatusOr<ClientResponse> HttpClient::PutFile(const std::string& target,
                                                   const std::string& file_path) const {
  ClientRequest req;
  req.method = "PUT";
  req.target = target;
  req.body_file = file_path;
  req.headers.emplace_back("Content-Type", "application/octet-stream");
  return Do(req);
}

}  // namespace ferry::net
