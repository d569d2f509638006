#pragma once
// Which addresses an outbound request may reach, vetted on the resolved socket address (so a
// DNS answer cannot steer a request inside after a name was checked). Public unicast
// addresses are always allowed; internal ones only when an allow entry names them:
//   loopback       127.0.0.0/8, ::1
//   unspecified    0.0.0.0/8, ::
//   link-local     169.254.0.0/16, fe80::/10
//   private        10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10 (shared), fc00::/7
//   multicast      224.0.0.0/4, ff00::/8; reserved 240.0.0.0/4
// IPv6 forms that carry an IPv4 address (::ffff:a.b.c.d, ::a.b.c.d, 64:ff9b::/96, 2002::/16)
// are judged by that IPv4 address. Decimal or octal spellings (2130706433, 0177.0.0.1) need
// no rule of their own: they resolve to the address they encode.

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "net/http_client.h"

namespace ferry::net {

// "loopback", "unspecified", "link-local", "private", "multicast", "reserved", or "" for a
// public address (and for families other than IPv4 and IPv6).
std::string_view InternalAddressKind(const sockaddr* addr);
// The numeric form of an IPv4 or IPv6 socket address, e.g. "127.0.0.1" or "::1".
std::string AddressText(const sockaddr* addr);

class DestinationPolicy {
 public:
  // Refuses every internal address.
  DestinationPolicy() = default;
  // Allows, besides public addresses, what a comma-separated list names: host names (the
  // URL's host, any address it resolves to), IP addresses (v6 with or without brackets) and
  // CIDR ranges. kInvalidArgument naming the entry that is none of these.
  static absl::StatusOr<DestinationPolicy> Parse(std::string_view list);

  // OK, or kPermissionDenied saying which address was refused and why, e.g.
  // "refused to connect to 127.0.0.1 (a loopback address)".
  absl::Status Check(const std::string& host, const sockaddr* addr) const;
  // Check as an HttpClient address filter; the policy must outlive the filter.
  AddressFilter Filter() const;

 private:
  struct Range {
    int family = 0;  // AF_INET or AF_INET6
    uint8_t bytes[16] = {};
    int prefix = 0;  // bits
  };
  static absl::StatusOr<Range> ParseRange(std::string_view entry);
  bool Allows(const std::string& host, const sockaddr* addr) const;

  std::vector<std::string> hosts_;  // lower-case, no brackets
  std::vector<Range> ranges_;
};

}  // namespace ferry::net
