#pragma once
// Small string helpers shared by every part: hex, base64, URL decoding, number parsing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ferry {

std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
// Returns nullopt for malformed input (bad alphabet or length).
std::optional<std::string> Base64Decode(std::string_view text);

// The value of a hex digit (0-9, a-f, A-F), or -1.
int HexDigitValue(char c);
// Decodes %XX escapes (and '+' as space when `plus_as_space`). Returns nullopt for a
// malformed escape.
std::optional<std::string> UrlDecode(std::string_view s, bool plus_as_space);
// %XX-escapes every byte but ASCII letters, digits and the characters in `safe`.
std::string PercentEncode(std::string_view s, std::string_view safe);
// PercentEncode with "-_.~/" safe (a URL path).
std::string UrlEncode(std::string_view s);

// Strict whole-string parses: no leading/trailing spaces, no trailing garbage.
std::optional<int64_t> ParseInt64(std::string_view s);
std::optional<double> ParseDouble(std::string_view s);

std::vector<std::string_view> SplitString(std::string_view s, char sep);
bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
std::string ToLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// True for well-formed UTF-8 (no overlong forms, surrogates or code points over U+10FFFF).
bool IsValidUtf8(std::string_view s);
// The shortest decimal that reads back as `v` ("3", "0.1", "1e+300", "nan", "inf").
std::string FormatShortest(double v);

}  // namespace ferry

namespace ferry::internal {
template <typename T>
void AppendPiece(std::string& out, const T& piece) {
  if constexpr (std::is_same_v<T, char>) {
    out.push_back(piece);
  } else if constexpr (std::is_same_v<T, bool>) {
    out.append(piece ? "true" : "false");
  } else if constexpr (std::is_integral_v<T>) {
    out.append(std::to_string(piece));
  } else if constexpr (std::is_floating_point_v<T>) {
    out.append(FormatShortest(piece));
  } else {
    out.append(std::string_view(piece));
  }
}
}  // namespace ferry::internal

namespace ferry {

// Concatenates strings, characters and numbers (integers in decimal, floating point in the
// shortest form that reads back). absl::StrCat cannot serve: in Debian's abseil build
// absl::string_view is a distinct type that std::string_view does not convert to.
template <typename... Pieces>
std::string StrCat(const Pieces&... pieces) {
  std::string out;
  (internal::AppendPiece(out, pieces), ...);
  return out;
}

}  // namespace ferry
