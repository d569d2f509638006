#include "cli/server/ui_flags.h"

#include "cli/flags.h"
#include "common/fs.h"

namespace ferry::cli {

void DeclareUiFlags(FlagSet& flags) {
  flags.Bool("no-ui", "do not serve the web UI at /");
  flags.String("ui-dir", "",
               "serve the web UI from this directory (index.html, static/) instead of the "
               "copy built into the binary: for UI development");
}

absl::StatusOr<UiFlags> UiFlagsFrom(const FlagSet& flags) {
  UiFlags ui;
  ui.enabled = !flags.GetBool("no-ui");
  ui.dir = flags.Get("ui-dir");
  if (ui.dir.empty()) return ui;
  if (!ui.enabled) return absl::InvalidArgumentError("give --no-ui or --ui-dir, not both");
  if (!PathExists(JoinPath(ui.dir, "index.html"))) {
    return absl::InvalidArgumentError("--ui-dir " + ui.dir +
                                      ": no index.html there (build the UI into it first)");
  }
  return ui;
}

}  // namespace ferry::cli
