#include "package/trust/attached.h"

#include "common/fs.h"

namespace ferry::package {

absl::StatusOr<Manifest> ReadManifestOf(LayoutReader& reader, const Descriptor& d,
                                        std::string_view what) {
  if (d.size > kMaxMetadataBlob) {
    return absl::InvalidArgumentError(std::string(what) + " manifest is " + std::to_string(d.size) +
                                      " bytes, over the limit");
  }
  ASSIGN_OR_RETURN(std::string raw, reader.ReadBlob(d.digest, kMaxMetadataBlob));
  if (static_cast<int64_t>(raw.size()) != d.size) {
    return absl::DataLossError(std::string(what) + " manifest " + d.digest + " has " +
                               std::to_string(raw.size()) + " bytes, the index says " +
                               std::to_string(d.size));
  }
  auto m = ParseManifest(raw);
  if (!m.ok()) {
    return absl::InvalidArgumentError(std::string(what) + " manifest " + d.digest + ": " +
                                      std::string(m.status().message()));
  }
  return m;
}

absl::StatusOr<Descriptor> AddSingleLayerManifest(OciLayout& layout, std::string_view layer_bytes,
                                                  const std::string& layer_media_type,
                                                  std::map<std::string, std::string> annotations,
                                                  const std::string& tag) {
  Manifest m;
  ASSIGN_OR_RETURN(m.config, layout.PutBlob("{}", kOciEmpty));
  ASSIGN_OR_RETURN(Descriptor layer, layout.PutBlob(layer_bytes, layer_media_type));
  layer.annotations = std::move(annotations);
  m.layers.push_back(std::move(layer));
  return layout.AddManifest(m, tag);
}

}  // namespace ferry::package
