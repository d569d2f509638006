#include "store/postgres/pg_uri.h"

#include <libpq-fe.h>

#include <array>
#include <cctype>
#include <set>

namespace ferry::store::postgres {
namespace {

constexpr std::array<std::string_view, 3> kSchemes = {"postgresql://", "postgres://",
                                                      "postgresql+psycopg2://"};

// Percent-decodes `in` ('+' stays '+': these are URI components, not form data).
absl::StatusOr<std::string> Decode(std::string_view in, std::string_view what) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) {
      return absl::InvalidArgumentError("truncated percent escape in the " + std::string(what));
    }
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
    };
    int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
    if (hi < 0 || lo < 0) {
      return absl::InvalidArgumentError("invalid percent escape in the " + std::string(what));
    }
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// libpq's connection keywords, except the ones the URI's own parts set.
const std::set<std::string>& LibpqKeywords() {
  static const std::set<std::string>* keywords = [] {
    auto* set = new std::set<std::string>;
    PQconninfoOption* opts = PQconndefaults();
    for (PQconninfoOption* o = opts; o != nullptr && o->keyword != nullptr; ++o) {
      set->insert(o->keyword);
    }
    PQconninfoFree(opts);
    for (const char* own : {"user", "password", "dbname", "port"}) set->erase(own);
    return set;
  }();
  return *keywords;
}

// Everything after the password's ':' up to '@' replaced by ***, for messages about a URI
// that did not parse.
std::string RedactRaw(std::string_view uri) {
  size_t scheme_end = uri.find("://");
  size_t at = uri.rfind('@');
  if (scheme_end == std::string_view::npos || at == std::string_view::npos || at < scheme_end) {
    return std::string(uri);
  }
  size_t colon = uri.find(':', scheme_end + 3);
  if (colon == std::string_view::npos || colon > at) return std::string(uri);
  return std::string(uri.substr(0, colon + 1)) + "***" + std::string(uri.substr(at));
}

absl::Status Invalid(std::string_view uri, const std::string& why) {
  return absl::InvalidArgumentError("Invalid PostgreSQL URI '" + RedactRaw(uri) + "': " + why);
}

}  // namespace

bool IsPostgresUri(std::string_view uri) {
  for (std::string_view s : kSchemes) {
    if (uri.substr(0, s.size()) == s) return true;
  }
  return false;
}

absl::StatusOr<PgUri> ParsePgUri(std::string_view uri) {
  std::string_view rest;
  for (std::string_view s : kSchemes) {
    if (uri.substr(0, s.size()) == s) rest = uri.substr(s.size());
  }
  if (!IsPostgresUri(uri)) {
    return Invalid(uri, "the scheme must be postgresql://, postgres:// or postgresql+psycopg2://");
  }
  PgUri out;
  std::string_view query;
  if (size_t q = rest.find('?'); q != std::string_view::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string_view authority = rest, path;
  if (size_t slash = rest.find('/'); slash != std::string_view::npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    std::string_view user = userinfo;
    if (size_t colon = userinfo.find(':'); colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      auto password = Decode(userinfo.substr(colon + 1), "password");
      if (!password.ok()) return Invalid(uri, std::string(password.status().message()));
      out.password = *std::move(password);
    }
    auto decoded = Decode(user, "user");
    if (!decoded.ok()) return Invalid(uri, std::string(decoded.status().message()));
    out.user = *std::move(decoded);
  }
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {  // [IPv6]:port
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return Invalid(uri, "unterminated '[' in the host");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && after.front() != ':') return Invalid(uri, "junk after ']'");
    if (!after.empty()) port = after.substr(1);
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  for (char c : port) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      return Invalid(uri, "the port must be a number");
    }
  }
  if (!port.empty() && (port.size() > 5 || std::stoi(std::string(port)) > 65535)) {
    return Invalid(uri, "the port must be at most 65535");
  }
  auto host_decoded = Decode(host, "host");
  auto db = Decode(path, "database name");
  if (!host_decoded.ok()) return Invalid(uri, std::string(host_decoded.status().message()));
  if (!db.ok()) return Invalid(uri, std::string(db.status().message()));
  out.host = *std::move(host_decoded);
  out.port = std::string(port);
  out.dbname = *std::move(db);
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    if (eq == std::string_view::npos) return Invalid(uri, "option without '=' in the query");
    auto key = Decode(pair.substr(0, eq), "option name");
    auto value = Decode(pair.substr(eq + 1), "option value");
    if (!key.ok() || !value.ok()) return Invalid(uri, "invalid percent escape in an option");
    if (!LibpqKeywords().contains(*key)) {
      return Invalid(uri, "unknown option '" + *key +
                              "' (options are libpq connection keywords, e.g. sslmode, "
                              "sslrootcert, connect_timeout, application_name)");
    }
    out.options.emplace_back(*std::move(key), *std::move(value));
  }
  return out;
}

std::string PgUri::Describe() const {
  std::string out = host.empty() ? "localhost" : host;
  if (!port.empty()) out += ":" + port;
  return out + "/" + dbname;
}

std::string PgUri::Redacted() const {
  std::string out = "postgresql://";
  if (!user.empty() || !password.empty()) {
    out += user;
    if (!password.empty()) out += ":***";
    out += "@";
  }
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (!port.empty()) out += ":" + port;
  out += "/" + dbname;
  for (size_t i = 0; i < options.size(); ++i) {
    out += (i == 0 ? "?" : "&") + options[i].first + "=" + options[i].second;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> PgUri::ConnectParams() const {
  std::vector<std::pair<std::string, std::string>> out;
  auto add = [&](const char* key, const std::string& value) {
    if (!value.empty()) out.emplace_back(key, value);
  };
  add("host", host);
  add("port", port);
  add("user", user);
  add("password", password);
  add("dbname", dbname);
  bool has_timeout = false, has_encoding = false;
  for (const auto& [key, value] : options) {
    has_timeout |= key == "connect_timeout";
    has_encoding |= key == "client_encoding";
    out.emplace_back(key, value);
  }
  if (!has_timeout) out.emplace_back("connect_timeout", "10");
  if (!has_encoding) out.emplace_back("client_encoding", "UTF8");
  return out;
}

}  // namespace ferry::store::postgres
