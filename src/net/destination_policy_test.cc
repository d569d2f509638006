// DestinationPolicy: which resolved addresses are internal, in every spelling, and how the
// allow list (names, addresses, CIDRs) lets them through.

#include "net/destination_policy.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>

#include <cstring>
#include <string>

#include "gtest/gtest.h"

namespace ferry::net {
namespace {

// The socket address getaddrinfo gives for a numeric host, as libcurl would connect to it.
sockaddr_storage Resolve(const std::string& host) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  sockaddr_storage out{};
  int rc = ::getaddrinfo(host.c_str(), "80", &hints, &res);
  EXPECT_EQ(rc, 0) << host;
  if (rc == 0) {
    std::memcpy(&out, res->ai_addr, res->ai_addrlen);
    ::freeaddrinfo(res);
  }
  return out;
}

std::string Kind(const std::string& host) {
  sockaddr_storage a = Resolve(host);
  return std::string(InternalAddressKind(reinterpret_cast<sockaddr*>(&a)));
}

TEST(DestinationPolicyTest, ClassifiesInternalAddressesInEverySpelling) {
  EXPECT_EQ(Kind("127.0.0.1"), "loopback");
  EXPECT_EQ(Kind("2130706433"), "loopback");  // decimal
  EXPECT_EQ(Kind("0177.0.0.1"), "loopback");  // octal
  EXPECT_EQ(Kind("0x7f.1"), "loopback");
  EXPECT_EQ(Kind("::1"), "loopback");
  EXPECT_EQ(Kind("::ffff:127.0.0.1"), "loopback");
  EXPECT_EQ(Kind("::ffff:10.1.2.3"), "private");
  EXPECT_EQ(Kind("64:ff9b::a9fe:a9fe"), "link-local");  // NAT64 of 169.254.169.254
  EXPECT_EQ(Kind("0.0.0.0"), "unspecified");
  EXPECT_EQ(Kind("::"), "unspecified");
  EXPECT_EQ(Kind("169.254.169.254"), "link-local");
  EXPECT_EQ(Kind("fe80::1"), "link-local");
  EXPECT_EQ(Kind("10.0.0.1"), "private");
  EXPECT_EQ(Kind("172.16.0.1"), "private");
  EXPECT_EQ(Kind("172.31.255.255"), "private");
  EXPECT_EQ(Kind("192.168.1.1"), "private");
  EXPECT_EQ(Kind("100.64.0.1"), "private");
  EXPECT_EQ(Kind("fc00::1"), "private");
  EXPECT_EQ(Kind("fd12:3456::1"), "private");
  EXPECT_EQ(Kind("224.0.0.1"), "multicast");
  EXPECT_EQ(Kind("ff02::1"), "multicast");
  EXPECT_EQ(Kind("255.255.255.255"), "reserved");
  EXPECT_EQ(Kind("172.32.0.1"), "");
  EXPECT_EQ(Kind("100.128.0.1"), "");
  EXPECT_EQ(Kind("8.8.8.8"), "");
  EXPECT_EQ(Kind("2001:4860:4860::8888"), "");
}

absl::Status Check(const DestinationPolicy& p, const std::string& url_host,
                   const std::string& addr) {
  sockaddr_storage a = Resolve(addr);
  return p.Check(url_host, reinterpret_cast<sockaddr*>(&a));
}

TEST(DestinationPolicyTest, DefaultRefusesInternalAndSaysWhy) {
  DestinationPolicy p;
  absl::Status s = Check(p, "2130706433", "2130706433");
  EXPECT_EQ(s.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "refused to connect to 127.0.0.1 (a loopback address)");
  EXPECT_EQ(Check(p, "[::ffff:127.0.0.1]", "::ffff:127.0.0.1").message(),
            "refused to connect to ::ffff:127.0.0.1 (a loopback address)");
  EXPECT_EQ(Check(p, "internal.example", "192.168.0.7").code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(Check(p, "dns.google", "8.8.8.8").ok());
}

TEST(DestinationPolicyTest, AllowListNamesHostsAddressesAndRanges) {
  auto p = DestinationPolicy::Parse(" 127.0.0.1, [::1],10.0.0.0/8, Hooks.Internal ,");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(Check(*p, "127.0.0.1", "127.0.0.1").ok());
  EXPECT_TRUE(Check(*p, "2130706433", "2130706433").ok());  // the same address
  EXPECT_TRUE(Check(*p, "[::ffff:127.0.0.1]", "::ffff:127.0.0.1").ok());
  EXPECT_FALSE(Check(*p, "127.0.0.2", "127.0.0.2").ok());
  EXPECT_TRUE(Check(*p, "[::1]", "::1").ok());
  EXPECT_TRUE(Check(*p, "x", "10.200.0.1").ok());
  EXPECT_TRUE(Check(*p, "x", "11.0.0.1").ok());  // public anyway
  EXPECT_FALSE(Check(*p, "x", "192.168.0.1").ok());
  EXPECT_TRUE(Check(*p, "hooks.internal", "192.168.0.1").ok());  // by name
  EXPECT_FALSE(Check(*p, "other.internal", "192.168.0.1").ok());
}

TEST(DestinationPolicyTest, BadEntriesAreNamed) {
  for (const char* bad : {"10.0.0.0/33", "::1/129", "0177.0.0.1", "http://x", "a b"}) {
    auto p = DestinationPolicy::Parse(bad);
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
  auto p = DestinationPolicy::Parse("ok.example, bad/entry");
  EXPECT_NE(p.status().message().find("'bad/entry'"), std::string::npos) << p.status();
}

}  // namespace
}  // namespace ferry::net
