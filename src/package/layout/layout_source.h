#pragma once
// A package layout to read from a path that is either a layout directory (used as is) or an
// exported .tar (imported into a private temporary directory, removed on destruction).

#include <memory>
#include <optional>
#include <string>

#include "common/fs.h"
#include "common/status.h"
#include "package/layout/oci_layout.h"

namespace ferry::package {

class LayoutSource {
 public:
  LayoutSource() = default;
  LayoutSource(const LayoutSource&) = delete;
  LayoutSource& operator=(const LayoutSource&) = delete;

  // kNotFound / errno-style errors naming `path`; the tar import's errors for a bad archive.
  absl::Status Open(const std::string& path);
  // Valid after a successful Open.
  OciLayout& layout() { return *layout_; }

 private:
  std::optional<TempDir> temp_;  // holds an imported tar; declared first, destroyed last
  std::unique_ptr<OciLayout> layout_;
};

}  // namespace ferry::package
