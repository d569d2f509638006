#include "package/package_ref.h"

#include "common/strings.h"
#include "package/attached.h"

namespace ferry::package {

bool IsAttachedTag(const std::string& tag) {
  return StartsWith(tag, "sha256-") && (EndsWith(tag, ".sig") || EndsWith(tag, ".att"));
}

absl::StatusOr<std::string> ResolvePackageTag(LayoutReader& reader, const std::string& ref) {
  if (!ref.empty()) return ref;
  ASSIGN_OR_RETURN(ImageIndex index, reader.ReadIndex());
  std::vector<std::string> tags;
  for (const Descriptor& d : index.manifests) {
    std::string tag = d.Annotation(kAnnotationRefName);
    if (!tag.empty() && !IsAttachedTag(tag)) tags.push_back(tag);
  }
  if (tags.empty()) return absl::NotFoundError("the layout has no tagged package manifest");
  if (tags.size() > 1) {
    std::string list;
    for (const auto& t : tags) list += (list.empty() ? "" : ", ") + t;
    return absl::InvalidArgumentError("the layout has several packages (" + list +
                                      "); pick one with --ref");
  }
  return tags[0];
}

absl::StatusOr<PackageHead> ReadPackageHead(LayoutReader& reader, const std::string& ref) {
  PackageHead head;
  ASSIGN_OR_RETURN(head.tag, ResolvePackageTag(reader, ref));
  auto d = FindTagged(reader, head.tag);
  if (absl::IsNotFound(d.status())) {
    return absl::NotFoundError("the layout has no package tagged " + head.tag);
  }
  if (!d.ok()) return d.status();
  head.manifest_descriptor = *d;
  ASSIGN_OR_RETURN(head.manifest, ReadManifestOf(reader, *d, "package"));
  if (head.manifest.config.media_type != kModelConfig) {
    return absl::InvalidArgumentError("manifest " + d->digest + " is not a model package (config " +
                                      head.manifest.config.media_type + ")");
  }
  ASSIGN_OR_RETURN(std::string config,
                   reader.ReadBlob(head.manifest.config.digest, kMaxAttachedBlob));
  auto parsed = ParseConfig(config);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError("package config " + head.manifest.config.digest + ": " +
                                      std::string(parsed.status().message()));
  }
  head.config = std::move(*parsed);
  return head;
}

}  // namespace ferry::package
