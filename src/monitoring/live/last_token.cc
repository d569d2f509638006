#include "monitoring/live/last_token.h"

namespace ferry::monitoring {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

}  // namespace

std::string_view LastToken(std::string_view sequence) {
  size_t end = sequence.size();
  while (end > 0 && IsSpace(sequence[end - 1])) --end;
  size_t begin = end;
  while (begin > 0 && !IsSpace(sequence[begin - 1])) --begin;
  return sequence.substr(begin, end - begin);
}

void KeepLastTokens(Column& column) {
  if (column.numeric) return;
  for (std::string& value : column.strings) {
    const std::string_view last = LastToken(value);
    if (last.size() != value.size()) value = std::string(last);
  }
}

}  // namespace ferry::monitoring
