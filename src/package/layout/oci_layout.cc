#include "package/layout/oci_layout.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/file_hash.h"
#include "common/fs.h"
#include "common/json.h"
#include "common/sha256.h"

namespace ferry::package {

namespace {

constexpr char kLayoutFile[] = "oci-layout";
constexpr char kIndexFile[] = "index.json";
constexpr char kLayoutContent[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
// Manifests and configs above this size are refused rather than read into memory.

std::string BlobsDir(const std::string& dir) { return JoinPath(dir, "blobs/sha256"); }

// kNotFound if absent, OK if it exists and is empty, kAlreadyExists otherwise.
absl::Status CheckEmptyDir(const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, ListDir(dir));
  if (names.empty()) return absl::OkStatus();
  return absl::AlreadyExistsError("'" + dir + "' is not empty and not an OCI image layout");
}

absl::Status BlobMismatch(const std::string& digest, std::string_view what) {
  return absl::DataLossError("blob " + digest + ": " + std::string(what));
}

// Moves a finished temp file into place as the blob; an existing blob with the same
// digest has the same bytes and is kept.
absl::Status PublishTemp(const std::string& tmp, const std::string& path) {
  ::chmod(tmp.c_str(), 0444);
  if (PathExists(path)) {
    ::unlink(tmp.c_str());
    return absl::OkStatus();
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus(err, "rename", path);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<OciLayout>> OciLayout::Create(const std::string& dir) {
  if (PathExists(JoinPath(dir, kLayoutFile))) return Open(dir);
  if (PathExists(dir)) RETURN_IF_ERROR(CheckEmptyDir(dir));
  RETURN_IF_ERROR(MakeDirs(BlobsDir(dir)));
  RETURN_IF_ERROR(WriteFileAtomic(JoinPath(dir, kIndexFile), SerializeIndex(ImageIndex{})));
  // oci-layout last: its presence marks a complete layout.
  RETURN_IF_ERROR(WriteFileAtomic(JoinPath(dir, kLayoutFile), kLayoutContent));
  return std::unique_ptr<OciLayout>(new OciLayout(dir));
}

absl::StatusOr<std::unique_ptr<OciLayout>> OciLayout::Open(const std::string& dir) {
  const std::string path = JoinPath(dir, kLayoutFile);
  auto text = ReadFile(path);
  if (!text.ok()) {
    return absl::InvalidArgumentError("'" + dir + "' is not an OCI image layout (" +
                                      std::string(StatusMessage(text.status())) + ")");
  }
  auto doc = ParseJson(*text);
  const JsonValue* version = doc.ok() ? doc->Find("imageLayoutVersion") : nullptr;
  if (version == nullptr || !version->is_string() || version->as_string() != "1.0.0") {
    return absl::InvalidArgumentError(path + ": expected {\"imageLayoutVersion\":\"1.0.0\"}");
  }
  return std::unique_ptr<OciLayout>(new OciLayout(dir));
}

std::string OciLayout::BlobPath(const std::string& digest) const {
  return JoinPath(BlobsDir(dir_), DigestHex(digest));
}

bool OciLayout::HasBlob(const std::string& digest) const {
  return ValidateDigest(digest, "digest").ok() && PathExists(BlobPath(digest));
}

absl::StatusOr<Descriptor> OciLayout::PutBlob(std::string_view bytes,
                                              const std::string& media_type) {
  Descriptor d;
  d.media_type = media_type;
  d.digest = "sha256:" + Sha256Hex(bytes);
  d.size = static_cast<int64_t>(bytes.size());
  if (PathExists(BlobPath(d.digest))) return d;
  std::string tmp;
  ASSIGN_OR_RETURN(Fd fd, MakeTempFile(BlobsDir(dir_), &tmp));
  absl::Status st = WriteAll(fd.get(), bytes, tmp);
  if (int err = fd.Close(); st.ok() && err != 0) st = ErrnoStatus(err, "close", tmp);
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  RETURN_IF_ERROR(PublishTemp(tmp, BlobPath(d.digest)));
  return d;
}

absl::StatusOr<Descriptor> OciLayout::PutBlobFromFile(const std::string& path,
                                                      const std::string& media_type,
                                                      const ProgressFn& progress) {
  ASSIGN_OR_RETURN(Fd src, OpenRegularFile(path, nullptr));
  std::string tmp;
  ASSIGN_OR_RETURN(Fd dst, MakeTempFile(BlobsDir(dir_), &tmp));
  auto hashed = CopyAndHash(src.get(), path, dst.get(), tmp, progress);
  absl::Status st = hashed.status();
  if (int err = dst.Close(); st.ok() && err != 0) st = ErrnoStatus(err, "close", tmp);
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  Descriptor d;
  d.media_type = media_type;
  d.digest = "sha256:" + hashed->hex;
  d.size = hashed->size;
  RETURN_IF_ERROR(PublishTemp(tmp, BlobPath(d.digest)));
  return d;
}

absl::StatusOr<Descriptor> OciLayout::PutBlobFromFile(const std::string& path,
                                                      const std::string& media_type) {
  return PutBlobFromFile(path, media_type, nullptr);
}

absl::StatusOr<Descriptor> OciLayout::AddManifest(Manifest& m, const std::string& ref_name) {
  SerializeManifest(m);
  return AddManifestBytes(m.raw, m.media_type, ref_name);
}

absl::StatusOr<Descriptor> OciLayout::AddManifestBytes(const std::string& raw,
                                                       const std::string& media_type,
                                                       const std::string& ref_name) {
  ASSIGN_OR_RETURN(Descriptor d, PutBlob(raw, media_type));
  if (auto parsed = ParseManifest(raw); parsed.ok()) d.artifact_type = parsed->artifact_type;
  ASSIGN_OR_RETURN(ImageIndex index, ReadIndex());
  std::erase_if(index.manifests,
                [&](const Descriptor& e) { return e.Annotation(kAnnotationRefName) == ref_name; });
  Descriptor entry = d;
  entry.annotations[kAnnotationRefName] = ref_name;
  index.manifests.push_back(entry);
  RETURN_IF_ERROR(WriteIndex(index));
  return d;
}

absl::StatusOr<Descriptor> FindTagged(LayoutReader& reader, std::string_view tag) {
  ASSIGN_OR_RETURN(ImageIndex index, reader.ReadIndex());
  for (const Descriptor& d : index.manifests) {
    if (d.Annotation(kAnnotationRefName) == tag) return d;
  }
  return absl::NotFoundError("no manifest tagged \"" + std::string(tag) + "\"");
}

absl::StatusOr<Descriptor> OciLayout::FindRef(const std::string& ref_name) {
  auto d = FindTagged(*this, ref_name);
  if (absl::IsNotFound(d.status())) {
    return absl::NotFoundError(std::string(StatusMessage(d.status())) + " in " + dir_);
  }
  return d;
}

absl::StatusOr<Manifest> OciLayout::ReadManifest(const std::string& digest) {
  ASSIGN_OR_RETURN(std::string bytes, ReadBlob(digest, kMaxMetadataBlob));
  auto m = ParseManifest(bytes);
  if (!m.ok()) return BlobMismatch(digest, StatusMessage(m.status()));
  return m;
}

absl::StatusOr<ImageIndex> OciLayout::ReadIndex() {
  const std::string path = JoinPath(dir_, kIndexFile);
  ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  auto index = ParseIndex(text);
  if (!index.ok())
    return absl::InvalidArgumentError(path + ": " + std::string(StatusMessage(index.status())));
  return index;
}

absl::StatusOr<std::string> OciLayout::ReadBlob(const std::string& digest, int64_t max_size) {
  RETURN_IF_ERROR(ValidateDigest(digest, "blob digest"));
  const std::string path = BlobPath(digest);
  int64_t size = 0;
  auto fd = OpenRegularFile(path, &size);
  if (!fd.ok() && absl::IsNotFound(fd.status())) {
    return absl::NotFoundError("blob " + digest + " is missing");
  }
  RETURN_IF_ERROR(fd.status());
  if (size > max_size) {
    return absl::FailedPreconditionError("blob " + digest + " is " + std::to_string(size) +
                                         " bytes, more than the " + std::to_string(max_size) +
                                         " allowed here");
  }
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(path));
  if ("sha256:" + Sha256Hex(bytes) != digest) {
    return BlobMismatch(digest, "content does not match the digest");
  }
  return bytes;
}

absl::Status OciLayout::CheckBlob(const Descriptor& d) {
  RETURN_IF_ERROR(ValidateDigest(d.digest, "blob digest"));
  int64_t size = 0;
  auto fd = OpenRegularFile(BlobPath(d.digest), &size);
  if (!fd.ok() && absl::IsNotFound(fd.status())) {
    return absl::NotFoundError("blob " + d.digest + " is missing");
  }
  RETURN_IF_ERROR(fd.status());
  if (size != d.size) {
    return BlobMismatch(d.digest, "size is " + std::to_string(size) +
                                      " bytes, the descriptor says " + std::to_string(d.size));
  }
  ASSIGN_OR_RETURN(HashResult h, HashFd(fd->get(), BlobPath(d.digest), nullptr));
  if (h.size != d.size || "sha256:" + h.hex != d.digest) {
    return BlobMismatch(d.digest, "content does not match the digest");
  }
  return absl::OkStatus();
}

absl::Status OciLayout::WriteIndex(const ImageIndex& index) {
  return WriteFileAtomic(JoinPath(dir_, kIndexFile), SerializeIndex(index));
}

}  // namespace ferry::package
