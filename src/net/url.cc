#include "net/url.h"

#include <curl/curl.h>

#include <memory>

#include "common/strings.h"

namespace ferry::net {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

// One part of a parsed URL, "" when absent.
std::string Part(CURLU* u, CURLUPart part, unsigned int flags = 0) {
  char* out = nullptr;
  if (curl_url_get(u, part, &out, flags) != CURLUE_OK || out == nullptr) return "";
  std::string s(out);
  curl_free(out);
  return s;
}

absl::Status Invalid(const std::string& url, const std::string& why) {
  return absl::InvalidArgumentError("URL '" + url + "' is not supported: " + why);
}

}  // namespace

absl::StatusOr<HttpUrl> ParseHttpUrl(const std::string& url) {
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u) return absl::ResourceExhaustedError("out of memory parsing a URL");
  std::string lower = ToLower(url.substr(0, 8));
  if (!StartsWith(lower, "http://") && !StartsWith(lower, "https://")) {
    return Invalid(url, "expected http(s)://HOST[:PORT][/PATH]");
  }
  if (CURLUcode rc = curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0); rc != CURLUE_OK) {
    return Invalid(url, curl_url_strerror(rc));
  }
  HttpUrl out;
  out.scheme = ToLower(Part(u.get(), CURLUPART_SCHEME));
  out.host = Part(u.get(), CURLUPART_HOST);
  if (out.host.empty()) return Invalid(url, "it has no host");
  out.port = Part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  out.has_userinfo =
      !Part(u.get(), CURLUPART_USER).empty() || !Part(u.get(), CURLUPART_PASSWORD).empty();
  size_t authority = url.find("//") + 2;
  size_t slash = url.find_first_of("/?#", authority);
  out.path = slash == std::string::npos ? "" : url.substr(slash);
  return out;
}

std::string BareHost(const std::string& host) {
  std::string h = ToLower(host);
  if (h.size() >= 2 && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
  return h;
}

}  // namespace ferry::net
