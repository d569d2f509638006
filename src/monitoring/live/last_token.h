#pragma once
// Sequence inputs (a session recommender's "session": the item ids seen so far, separated by
// whitespace) are nearly unique strings, so their frequent items say nothing and any two
// windows look different. Live monitoring watches what such an input is about instead: its
// last token, the item the session is at now, whose distribution moves when the catalogue or
// the popularity of items changes (and matches the training data's item column). Pure.

#include <string>
#include <string_view>

#include "core/frame.h"

namespace ferry::monitoring {

// The last whitespace-separated token of `sequence` ("" when it has none).
std::string_view LastToken(std::string_view sequence);

// Replaces every value of a text column by its last token; numeric columns are left alone.
void KeepLastTokens(Column& column);

}  // namespace ferry::monitoring
