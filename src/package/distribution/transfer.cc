#include "package/distribution/transfer.h"

#include <unistd.h>

#include <cstdio>

#include "common/file_hash.h"
#include "common/fs.h"
#include "package/trust/attached.h"

namespace ferry::package {
namespace {

constexpr const char* kAttachedSuffixes[] = {".sig", ".att"};

// The blobs a manifest references: its config and layers.
std::vector<Descriptor> BlobsOf(const Manifest& m) {
  std::vector<Descriptor> out{m.config};
  out.insert(out.end(), m.layers.begin(), m.layers.end());
  return out;
}

absl::Status PushManifest(const OciDistributionClient& client, OciLayout& layout,
                          const Descriptor& d, const std::string& tag, TransferResult* result) {
  ASSIGN_OR_RETURN(std::string raw, layout.ReadBlob(d.digest, kMaxMetadataBlob));
  ASSIGN_OR_RETURN(Manifest m, ParseManifest(raw));
  for (const Descriptor& blob : BlobsOf(m)) {
    ASSIGN_OR_RETURN(bool present, client.HasBlob(blob.digest));
    if (present) {
      ++result->blobs_present;
      continue;
    }
    if (!layout.HasBlob(blob.digest)) {
      return absl::NotFoundError("blob " + blob.digest + " is missing from " + layout.dir());
    }
    RETURN_IF_ERROR(client.UploadBlob(blob.digest, layout.BlobPath(blob.digest), blob.size));
    ++result->blobs_sent;
    result->bytes_sent += blob.size;
  }
  ASSIGN_OR_RETURN(std::string digest, client.PutManifest(tag, raw, m.media_type));
  if (digest != d.digest) {
    return absl::DataLossError("manifest " + tag + " in " + layout.dir() + " hashes to " + digest +
                               ", its index entry says " + d.digest);
  }
  return absl::OkStatus();
}

// Downloads one blob into the layout through a temp file, keeping it only if it hashes to
// its descriptor.
absl::Status PullBlob(const OciDistributionClient& client, OciLayout& layout, const Descriptor& d) {
  std::string blob_dir = JoinPath(layout.dir(), "blobs/sha256");
  RETURN_IF_ERROR(MakeDirs(blob_dir));
  std::string tmp;
  ASSIGN_OR_RETURN(Fd fd, MakeTempFile(blob_dir, &tmp));
  fd.Close();
  absl::Status s = client.DownloadBlob(d.digest, d.size, tmp);
  HashResult hash;
  if (s.ok()) {
    auto in = OpenRegularFile(tmp, &hash.size);
    if (!in.ok()) s = in.status();
    if (s.ok()) {
      auto h = HashFd(in->get(), tmp, nullptr);
      if (h.ok()) hash = *h;
      s = h.status();
    }
  }
  if (s.ok() && ("sha256:" + hash.hex != d.digest || hash.size != d.size)) {
    s = absl::DataLossError("blob " + d.digest + " from " + client.ref().Name() +
                            " is corrupt: it hashes to sha256:" + hash.hex + " (" +
                            std::to_string(hash.size) + " bytes, want " + std::to_string(d.size) +
                            "); refusing it");
  }
  if (s.ok() && std::rename(tmp.c_str(), layout.BlobPath(d.digest).c_str()) != 0) {
    s = ErrnoStatus(errno, "rename", tmp);
  }
  if (!s.ok()) ::unlink(tmp.c_str());
  return s;
}

// Fetches the manifest named `tag_or_digest` and its blobs; stores the manifest under
// `layout_tag`. std::nullopt when the registry has no such manifest.
absl::StatusOr<std::optional<std::string>> PullManifest(const OciDistributionClient& client,
                                                        OciLayout& layout,
                                                        const std::string& tag_or_digest,
                                                        const std::string& layout_tag,
                                                        TransferResult* result) {
  ASSIGN_OR_RETURN(auto fetched, client.GetManifest(tag_or_digest));
  if (!fetched) return std::optional<std::string>();
  // A reference pinned by digest is checked before anything is fetched or stored.
  const std::string& pinned = client.ref().digest;
  if (tag_or_digest == client.ref().TagOrDigest() && !pinned.empty() && fetched->digest != pinned) {
    return absl::DataLossError("manifest " + client.ref().ToString() + " hashes to " +
                               fetched->digest + ", not the digest in the reference");
  }
  ASSIGN_OR_RETURN(Manifest m, ParseManifest(fetched->raw));
  for (const Descriptor& blob : BlobsOf(m)) {
    if (layout.HasBlob(blob.digest) && layout.CheckBlob(blob).ok()) {
      ++result->blobs_present;
      continue;
    }
    RETURN_IF_ERROR(PullBlob(client, layout, blob));
    ++result->blobs_sent;
    result->bytes_sent += blob.size;
  }
  std::string media_type = m.media_type.empty() ? kOciManifest : m.media_type;
  RETURN_IF_ERROR(layout.AddManifestBytes(fetched->raw, media_type, layout_tag).status());
  return std::optional<std::string>(fetched->digest);
}

}  // namespace

absl::StatusOr<TransferResult> PushPackage(const OciDistributionClient& client, OciLayout& layout,
                                           const Descriptor& d, const std::string& tag) {
  TransferResult result;
  result.manifest_digest = d.digest;
  RETURN_IF_ERROR(client.Ping());
  RETURN_IF_ERROR(PushManifest(client, layout, d, tag, &result));
  for (const char* suffix : kAttachedSuffixes) {
    std::string attached_tag = CosignTag(d.digest, suffix);
    auto a = layout.FindRef(attached_tag);
    if (absl::IsNotFound(a.status())) continue;
    if (!a.ok()) return a.status();
    RETURN_IF_ERROR(PushManifest(client, layout, *a, attached_tag, &result));
    (std::string(suffix) == ".sig" ? result.signature : result.attestation) = true;
  }
  return result;
}

absl::StatusOr<TransferResult> PullPackage(const OciDistributionClient& client, OciLayout& layout,
                                           const std::string& layout_ref) {
  TransferResult result;
  const DistributionReference& ref = client.ref();
  ASSIGN_OR_RETURN(auto digest,
                   PullManifest(client, layout, ref.TagOrDigest(), layout_ref, &result));
  if (!digest) return absl::NotFoundError("registry has no manifest " + ref.ToString());
  result.manifest_digest = *digest;
  for (const char* suffix : kAttachedSuffixes) {
    std::string tag = CosignTag(*digest, suffix);
    ASSIGN_OR_RETURN(auto got, PullManifest(client, layout, tag, tag, &result));
    (std::string(suffix) == ".sig" ? result.signature : result.attestation) = got.has_value();
  }
  return result;
}

}  // namespace ferry::package
