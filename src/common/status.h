#pragma once
// Ferry returns absl::Status / absl::StatusOr<T> everywhere (style.md conventions 1-3).
// These macros keep the success path reading straight down.

#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ferry {
// Debian's Abseil has its own absl::string_view (not an alias of std::string_view).
inline std::string_view StatusMessage(const absl::Status& s) {
  return std::string_view(s.message().data(), s.message().size());
}
}  // namespace ferry

#define FERRY_CONCAT_INNER_(a, b) a##b
#define FERRY_CONCAT_(a, b) FERRY_CONCAT_INNER_(a, b)

// If `expr` yields a non-OK Status, return it from the current function.
#define RETURN_IF_ERROR(expr)                      \
  do {                                             \
    ::absl::Status ferry_status_ = (expr);         \
    if (!ferry_status_.ok()) return ferry_status_; \
  } while (0)

#define ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                           \
  if (!tmp.ok()) return tmp.status();          \
  lhs = std::move(tmp).value()

// ASSIGN_OR_RETURN(auto x, StatusOrExpr): binds the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL_(FERRY_CONCAT_(ferry_statusor_, __LINE__), lhs, expr)
