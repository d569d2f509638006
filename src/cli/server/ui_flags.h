#pragma once
// The web UI flags of `ferry server` and `ferry serve`: --no-ui and --ui-dir (docs/UI.md).
// app/ turns them into http::UiOptions.

#include <string>

#include "common/status.h"

namespace ferry::cli {

class FlagSet;

struct UiFlags {
  bool enabled = true;
  std::string dir;  // a development copy to serve instead of the embedded UI
};

void DeclareUiFlags(FlagSet& flags);
// kInvalidArgument when --ui-dir holds no index.html, or is given with --no-ui.
absl::StatusOr<UiFlags> UiFlagsFrom(const FlagSet& flags);

}  // namespace ferry::cli
