#pragma once
// Small string helpers shared by every part: hex, base64, URL decoding, number parsing.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ferry {

std::string HexEncode(std::string_view bytes);
std::string Base64Encode(std::string_view bytes);
// Returns nullopt for malformed input (bad alphabet or length).
std::optional<std::string> Base64Decode(std::string_view text);

// Decodes %XX escapes (and '+' as space when `plus_as_space`). Returns nullopt for a
// malformed escape.
std::optional<std::string> UrlDecode(std::string_view s, bool plus_as_space);
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
