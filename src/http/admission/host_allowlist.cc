#include "http/admission/host_allowlist.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cctype>

namespace ferry::http {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Glob match where '*' matches any run of characters (iterative, no backtracking blow-up).
bool GlobMatch(std::string_view pattern, std::string_view text) {
  size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (p < pattern.size() && pattern[p] == text[t]) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

// The host part of "host", "host:port", "[v6]" or "[v6]:port".
std::string_view HostPart(std::string_view value) {
  if (!value.empty() && value.front() == '[') {
    size_t close = value.find(']');
    return close == std::string_view::npos ? value : value.substr(0, close + 1);
  }
  size_t colon = value.rfind(':');
  return colon == std::string_view::npos ? value : value.substr(0, colon);
}

bool HasPort(std::string_view value) { return HostPart(value).size() != value.size(); }

}  // namespace

absl::StatusOr<HostAllowlist> HostAllowlist::Parse(std::string_view list) {
  HostAllowlist allowlist;
  allowlist.allow_all_ = false;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = std::min(list.find(',', start), list.size());
    std::string_view pattern = Trim(list.substr(start, comma - start));
    if (pattern.empty()) {
      return absl::InvalidArgumentError(
          "--allowed-hosts: expected comma-separated host[:port] patterns, got '" +
          std::string(list) + "'");
    }
    if (pattern == "*") allowlist.allow_all_ = true;
    allowlist.patterns_.push_back(Lower(pattern));
    start = comma + 1;
  }
  return allowlist;
}

void HostAllowlist::Add(std::string_view pattern) {
  pattern = Trim(pattern);
  if (allow_all_ || pattern.empty()) return;
  if (pattern == "*") allow_all_ = true;
  patterns_.push_back(Lower(pattern));
}

HostAllowlist HostAllowlist::Loopback() {
  HostAllowlist allowlist;
  allowlist.allow_all_ = false;
  allowlist.patterns_ = {"localhost", "127.0.0.1", "[::1]"};
  return allowlist;
}

HostAllowlist HostAllowlist::DefaultFor(std::string_view bind_host) {
  return IsLoopbackHost(bind_host) ? Loopback() : HostAllowlist();
}

bool HostAllowlist::Allows(std::string_view host) const {
  if (allow_all_) return true;
  std::string value = Lower(Trim(host));
  for (const std::string& pattern : patterns_) {
    std::string_view subject = HasPort(pattern) ? std::string_view(value) : HostPart(value);
    if (GlobMatch(pattern, subject)) return true;
  }
  return false;
}

std::string HostAllowlist::ToString() const {
  if (allow_all_) return "*";
  std::string out;
  for (const std::string& pattern : patterns_) {
    if (!out.empty()) out.push_back(',');
    out += pattern;
  }
  return out;
}

bool IsLoopbackHost(std::string_view host) {
  std::string name = Lower(host);
  if (name.size() > 2 && name.front() == '[' && name.back() == ']') {
    name = name.substr(1, name.size() - 2);
  }
  if (name == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, name.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  if (inet_pton(AF_INET6, name.c_str(), &v6) != 1) return false;
  if (IN6_IS_ADDR_LOOPBACK(&v6)) return true;
  return IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127;
}

}  // namespace ferry::http
