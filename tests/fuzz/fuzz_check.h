#pragma once
// Shared by the fuzz targets: a property check that names what broke before it traps, and
// the check that an error is kInvalidArgument ending with " at position <n>", n <= input size.

#include <cstddef>
#include <cstdio>
#include <string>

#include "common/status.h"

// Names the failed property (and the target's file and line) on stderr, then traps.
#define Check(condition)                                                           \
  do {                                                                             \
    if (!(condition)) {                                                            \
      std::fprintf(stderr, "%s:%d: failed: %s\n", __FILE__, __LINE__, #condition); \
      __builtin_trap();                                                            \
    }                                                                              \
  } while (0)

inline void CheckErrorAtPosition(const absl::Status& status, size_t input_size) {
  Check(status.code() == absl::StatusCode::kInvalidArgument);
  std::string message(status.message());
  size_t at = message.rfind(" at position ");
  Check(at != std::string::npos);
  std::string digits = message.substr(at + 13);
  Check(!digits.empty() && digits.size() < 20);
  for (char c : digits) Check(c >= '0' && c <= '9');
  Check(std::stoull(digits) <= input_size);
}
