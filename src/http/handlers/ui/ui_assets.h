#pragma once
// The web UI's files (ui/ at the repository root, bundled by esbuild at build time), embedded
// in the binary by cmake/EmbedUi.cmake: index.html and static/*, each raw and gzipped.

#include <string_view>
#include <vector>

namespace ferry::http::ui {

struct Asset {
  std::string_view path;  // relative: "index.html", "static/app.js"
  std::string_view raw;
  std::string_view gzip;
  std::string_view etag;  // quoted, from the raw bytes' SHA-256
};

// Sorted by path.
const std::vector<Asset>& EmbeddedAssets();

}  // namespace ferry::http::ui
