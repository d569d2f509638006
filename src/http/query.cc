#include "http/query.h"

#include <optional>

#include "common/strings.h"

namespace ferry::http {
namespace {

// Form-decodes `s`; nullopt for a malformed escape or a decoded NUL.
std::optional<std::string> FormDecode(std::string_view s) {
  std::optional<std::string> out = UrlDecode(s, /*plus_as_space=*/true);
  if (out && out->find('\0') != std::string::npos) return std::nullopt;
  return out;
}

}  // namespace

const std::string* QueryParams::Get(std::string_view key) const {
  for (const auto& [k, v] : entries_) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::vector<std::string_view> QueryParams::GetAll(std::string_view key) const {
  std::vector<std::string_view> values;
  for (const auto& [k, v] : entries_) {
    if (k == key) values.push_back(v);
  }
  return values;
}

absl::StatusOr<QueryParams> ParseQuery(std::string_view query) {
  std::vector<QueryParams::Entry> entries;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::optional<std::string> key = FormDecode(pair.substr(0, eq));
    std::optional<std::string> value =
        FormDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1));
    if (!key || !value) {
      return absl::InvalidArgumentError("Malformed percent-encoding in query string");
    }
    if (key->size() >= 2 && key->ends_with("[]")) key->resize(key->size() - 2);
    entries.emplace_back(std::move(*key), std::move(*value));
  }
  return QueryParams(std::move(entries));
}

}  // namespace ferry::http
