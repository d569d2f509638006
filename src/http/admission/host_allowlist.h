#pragma once
// Which Host header values the server answers, against DNS rebinding: a web page on
// evil.example whose name re-resolves to 127.0.0.1 can make a browser send requests to a
// server on loopback, but they still carry "Host: evil.example".
//
// A list is MLflow's --allowed-hosts syntax: comma-separated host[:port] patterns, compared
// case-insensitively, where '*' matches any run of characters ("*.corp.example",
// "192.168.*", "localhost:*"). A pattern without a port allows any port; "*" alone allows
// every Host. IPv6 literals are written in brackets ("[::1]").

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace ferry::http {

class HostAllowlist {
 public:
  // Allows every Host.
  HostAllowlist() = default;

  // kInvalidArgument for an empty list or an empty pattern.
  static absl::StatusOr<HostAllowlist> Parse(std::string_view list);
  // localhost, 127.0.0.1 and [::1], with any port.
  static HostAllowlist Loopback();
  // The default for a server bound to `bind_host`: Loopback() when it is a loopback address
  // (or "localhost"), else every Host.
  static HostAllowlist DefaultFor(std::string_view bind_host);

  // Also allows `pattern` (same syntax as one entry of a list; empty: ignored).
  void Add(std::string_view pattern);

  bool allows_all() const { return allow_all_; }
  // Whether a request's Host header value is allowed.
  bool Allows(std::string_view host) const;
  // The patterns, comma-separated ("*" when every Host is allowed).
  std::string ToString() const;

 private:
  bool allow_all_ = true;
  std::vector<std::string> patterns_;  // lowercased
};

// True for 127.0.0.0/8, ::1, ::ffff:127.x and the name "localhost".
bool IsLoopbackHost(std::string_view host);

}  // namespace ferry::http
