#pragma once
// Query-string parsing for handlers: "a=1&b=x+y&tag[]=p&tag[]=q".

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace ferry::http {

// Decoded query parameters in the order they appeared. Repeated keys are kept.
class QueryParams {
 public:
  using Entry = std::pair<std::string, std::string>;

  QueryParams() = default;
  explicit QueryParams(std::vector<Entry> entries) : entries_(std::move(entries)) {}

  // The first value of `key`, or nullptr when absent.
  const std::string* Get(std::string_view key) const;
  // Every value of `key`, in order (empty when absent).
  std::vector<std::string_view> GetAll(std::string_view key) const;
  bool Has(std::string_view key) const { return Get(key) != nullptr; }

  const std::vector<Entry>& entries() const { return entries_; }
  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  std::vector<Entry>::const_iterator begin() const { return entries_.begin(); }
  std::vector<Entry>::const_iterator end() const { return entries_.end(); }

 private:
  std::vector<Entry> entries_;
};

// Parses a raw query string (without '?'). Pairs are separated by '&'; empty pairs are
// skipped; a pair without '=' has an empty value; '+' decodes to a space; a key ending in
// "[]" is stored without it. Returns kInvalidArgument for a malformed %-escape or an
// escape that decodes to NUL.
absl::StatusOr<QueryParams> ParseQuery(std::string_view query);

}  // namespace ferry::http
