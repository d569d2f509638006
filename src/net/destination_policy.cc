#include "net/destination_policy.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>
#include <optional>

#include "common/strings.h"
#include "net/url.h"

namespace ferry::net {
namespace {

// An address reduced to what decides its kind: IPv6 forms carrying IPv4 become IPv4.
struct Ip {
  int family = 0;
  uint8_t b[16] = {};
};

bool AllZero(const uint8_t* b, int n) {
  for (int i = 0; i < n; ++i) {
    if (b[i] != 0) return false;
  }
  return true;
}

Ip FromV4(const uint8_t* four) {
  Ip ip;
  ip.family = AF_INET;
  std::memcpy(ip.b, four, 4);
  return ip;
}

Ip Normalize(const sockaddr* addr) {
  Ip ip;
  if (addr->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    return FromV4(reinterpret_cast<const uint8_t*>(&in->sin_addr));
  }
  if (addr->sa_family != AF_INET6) return ip;
  const uint8_t* b = reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr.s6_addr;
  static constexpr uint8_t kNat64[12] = {0x00, 0x64, 0xff, 0x9b};
  bool mapped = AllZero(b, 10) && b[10] == 0xff && b[11] == 0xff;
  bool compat = AllZero(b, 12) && !AllZero(b + 12, 3);  // ::a.b.c.d, not :: or ::1
  if (mapped || compat || std::memcmp(b, kNat64, 12) == 0) return FromV4(b + 12);
  if (b[0] == 0x20 && b[1] == 0x02) return FromV4(b + 2);  // 6to4
  ip.family = AF_INET6;
  std::memcpy(ip.b, b, 16);
  return ip;
}

bool InPrefix(const uint8_t* a, const uint8_t* net, int bits) {
  int whole = bits / 8;
  if (std::memcmp(a, net, static_cast<size_t>(whole)) != 0) return false;
  int rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[whole] & mask) == (net[whole] & mask);
}

std::string_view KindV4(const uint8_t* b) {
  if (b[0] == 127) return "loopback";
  if (b[0] == 0) return "unspecified";
  if (b[0] == 169 && b[1] == 254) return "link-local";
  if (b[0] == 10 || (b[0] == 172 && (b[1] & 0xf0) == 16) || (b[0] == 192 && b[1] == 168) ||
      (b[0] == 100 && (b[1] & 0xc0) == 64)) {
    return "private";
  }
  if ((b[0] & 0xf0) == 224) return "multicast";
  if ((b[0] & 0xf0) == 240) return "reserved";
  return "";
}

std::string_view KindV6(const uint8_t* b) {
  if (AllZero(b, 15) && b[15] == 1) return "loopback";
  if (AllZero(b, 16)) return "unspecified";
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "link-local";
  if ((b[0] & 0xfe) == 0xfc) return "private";
  if (b[0] == 0xff) return "multicast";
  return "";
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view InternalAddressKind(const sockaddr* addr) {
  Ip ip = Normalize(addr);
  if (ip.family == AF_INET) return KindV4(ip.b);
  if (ip.family == AF_INET6) return KindV6(ip.b);
  return "";
}

std::string AddressText(const sockaddr* addr) {
  char buf[INET6_ADDRSTRLEN] = {0};
  if (addr->sa_family == AF_INET) {
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, buf, sizeof(buf));
  } else if (addr->sa_family == AF_INET6) {
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, buf,
                sizeof(buf));
  }
  return buf;
}

absl::StatusOr<DestinationPolicy::Range> DestinationPolicy::ParseRange(std::string_view entry) {
  std::string text(entry);
  int prefix = -1;
  if (size_t slash = text.find('/'); slash != std::string::npos) {
    std::optional<int64_t> bits = ParseInt64(text.substr(slash + 1));
    if (!bits) return absl::InvalidArgumentError("bad prefix length");
    prefix = static_cast<int>(*bits);
    text = text.substr(0, slash);
  }
  text = BareHost(text);
  Range r;
  if (::inet_pton(AF_INET, text.c_str(), r.bytes) == 1) {
    r.family = AF_INET;
  } else if (::inet_pton(AF_INET6, text.c_str(), r.bytes) == 1) {
    r.family = AF_INET6;
  } else {
    return absl::InvalidArgumentError("not an address");
  }
  int max = r.family == AF_INET ? 32 : 128;
  r.prefix = prefix < 0 ? max : prefix;
  if (r.prefix > max) return absl::InvalidArgumentError("bad prefix length");
  return r;
}

absl::StatusOr<DestinationPolicy> DestinationPolicy::Parse(std::string_view list) {
  DestinationPolicy policy;
  for (std::string_view raw : SplitString(list, ',')) {
    std::string entry = ToLower(Trim(raw));
    if (entry.empty()) continue;
    absl::StatusOr<Range> range = ParseRange(entry);
    if (range.ok()) {
      policy.ranges_.push_back(*range);
      continue;
    }
    bool name =
        entry.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-_") == std::string::npos &&
        entry.find_first_not_of("0123456789.") != std::string::npos;
    if (!name || entry.find('/') != std::string::npos) {
      return absl::InvalidArgumentError(
          "'" + entry +
          "' is not a host name, IP address or CIDR range (addresses are written as "
          "dotted-decimal IPv4 or IPv6, e.g. 10.0.0.5, 10.0.0.0/8, ::1)");
    }
    policy.hosts_.push_back(entry);
  }
  return policy;
}

bool DestinationPolicy::Allows(const std::string& host, const sockaddr* addr) const {
  std::string bare = BareHost(host);
  for (const std::string& h : hosts_) {
    if (h == bare) return true;
  }
  Ip ip = Normalize(addr);
  for (const Range& r : ranges_) {
    if (r.family == ip.family && InPrefix(ip.b, r.bytes, r.prefix)) return true;
    // An IPv6 entry may also name the exact IPv6 form of an IPv4-carrying address.
    if (r.family == AF_INET6 && addr->sa_family == AF_INET6 &&
        InPrefix(reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr.s6_addr, r.bytes,
                 r.prefix)) {
      return true;
    }
  }
  return false;
}

absl::Status DestinationPolicy::Check(const std::string& host, const sockaddr* addr) const {
  std::string_view kind = InternalAddressKind(addr);
  if (kind.empty() || Allows(host, addr)) return absl::OkStatus();
  return absl::PermissionDeniedError("refused to connect to " + AddressText(addr) + " (a " +
                                     std::string(kind) + " address)");
}

AddressFilter DestinationPolicy::Filter() const {
  return [this](const std::string& host, const sockaddr* addr) { return Check(host, addr); };
}

}  // namespace ferry::net
