#pragma once
// Splitting http(s) URLs with libcurl's own parser, so that what Ferry validates is what
// libcurl later connects to.

#include <string>

#include "common/status.h"

namespace ferry::net {

struct HttpUrl {
  std::string scheme;         // "http" | "https"
  std::string host;           // as libcurl normalised it; IPv6 literals keep their brackets
  std::string port;           // explicit or the scheme's default
  std::string path;           // path and query, "" when the URL has none
  bool has_userinfo = false;  // user[:password]@ before the host

  // scheme://host:port
  std::string Origin() const { return scheme + "://" + host + ":" + port; }
};

// kInvalidArgument (naming the URL) unless `url` is an absolute http:// or https:// URL
// with a host.
absl::StatusOr<HttpUrl> ParseHttpUrl(const std::string& url);

// The host without IPv6 brackets, lower-cased.
std::string BareHost(const std::string& host);

}  // namespace ferry::net
