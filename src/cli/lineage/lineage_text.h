#pragma once
// The lineage graph JSON of /api/ferry/v1/lineage/... as an indented tree a human reads: the
// node asked about first, then what it links to, each line saying how (registered from,
// consumed, produced by, child of, ...), every node once.

#include <string>

#include "common/json.h"
#include "common/status.h"

namespace ferry::cli {

// kInvalidArgument when `graph` is not a lineage graph (no root, nodes or edges).
absl::StatusOr<std::string> LineageText(const JsonValue& graph);

}  // namespace ferry::cli
