#include "store/s3/s3_artifact_store.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <random>

#include "common/sha256.h"
#include "common/strings.h"

namespace ferry::store::s3 {
namespace {

std::string DigestKey(const std::string& prefix, const std::string& digest) {
  return StrCat(prefix, "blobs/sha256/", digest.substr(0, 2), "/", digest);
}

// A name no other writer, in this process or another replica, picks.
std::string TempKey(const std::string& prefix, uint64_t serial) {
  static const uint64_t salt = std::random_device{}() ^ (uint64_t{std::random_device{}()} << 32);
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return StrCat(prefix, "tmp/", getpid(), "-", serial, "-",
                std::chrono::duration_cast<std::chrono::nanoseconds>(now).count(), "-",
                HexEncode(std::string_view(reinterpret_cast<const char*>(&salt), sizeof salt)));
}

class S3BlobWriter : public BlobWriter {
 public:
  S3BlobWriter(std::shared_ptr<const net::S3Client> client, std::string prefix,
               std::string temp_key, int64_t part_bytes)
      : client_(std::move(client)),
        prefix_(std::move(prefix)),
        temp_key_(std::move(temp_key)),
        part_bytes_(static_cast<size_t>(part_bytes)) {}
  ~S3BlobWriter() override { Abort(); }

  absl::Status Append(std::string_view data) override {
    if (done_) return absl::FailedPreconditionError("blob writer already committed or aborted");
    hash_.Update(data);
    size_ += static_cast<int64_t>(data.size());
    while (!data.empty()) {
      const size_t n = std::min(data.size(), part_bytes_ - part_.size());
      part_.append(data.data(), n);
      data.remove_prefix(n);
      if (part_.size() == part_bytes_) RETURN_IF_ERROR(FlushPart());
    }
    return absl::OkStatus();
  }

  absl::StatusOr<BlobInfo> Commit() override {
    if (done_) return absl::FailedPreconditionError("blob writer already committed or aborted");
    BlobInfo info{hash_.FinishHex(), size_};
    const std::string key = DigestKey(prefix_, info.digest);
    // A blob that fits in one part is one PUT under its digest: writing the same bytes again
    // costs no more than asking whether they are there.
    absl::Status st = upload_id_.empty() ? client_->Put(key, part_) : FinishUpload(key);
    if (!st.ok()) {
      Abort();
      return st;
    }
    done_ = true;
    return info;
  }

  void Abort() override {
    if (done_) return;
    done_ = true;
    if (!upload_id_.empty()) (void)client_->AbortMultipart(temp_key_, upload_id_);
  }

 private:
  absl::Status FlushPart() {
    if (upload_id_.empty()) {
      ASSIGN_OR_RETURN(upload_id_, client_->StartMultipart(temp_key_));
    }
    ASSIGN_OR_RETURN(
        std::string etag,
        client_->UploadPart(temp_key_, upload_id_, static_cast<int>(etags_.size()) + 1, part_));
    etags_.push_back(std::move(etag));
    part_.clear();
    return absl::OkStatus();
  }

  absl::Status FinishUpload(const std::string& key) {
    if (!part_.empty()) RETURN_IF_ERROR(FlushPart());
    RETURN_IF_ERROR(client_->CompleteMultipart(temp_key_, upload_id_, etags_));
    upload_id_.clear();  // complete: nothing left to abort, only the object to delete
    absl::Status st =
        client_->Head(key).ok() ? absl::OkStatus() : client_->CopyLarge(temp_key_, key, size_);
    absl::Status removed = client_->Delete(temp_key_);
    return st.ok() ? removed : st;
  }

  std::shared_ptr<const net::S3Client> client_;
  const std::string prefix_;
  const std::string temp_key_;
  const size_t part_bytes_;
  Sha256 hash_;
  int64_t size_ = 0;
  std::string part_;
  std::string upload_id_;
  std::vector<std::string> etags_;
  bool done_ = false;
};

class S3BlobReader : public BlobReader {
 public:
  S3BlobReader(std::shared_ptr<const net::S3Client> client, std::string key, int64_t size,
               int64_t chunk)
      : client_(std::move(client)), key_(std::move(key)), size_(size), chunk_(chunk) {}

  int64_t size() const override { return size_; }
  int fd() const override { return -1; }

  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    if (used_ == buffer_.size()) {
      if (offset_ >= size_) return 0;
      ASSIGN_OR_RETURN(buffer_,
                       client_->GetRange(key_, offset_, std::min(chunk_, size_ - offset_)));
      if (buffer_.empty()) {
        return absl::DataLossError(
            StrCat("S3 object ", key_, " ended at byte ", offset_, " of ", size_));
      }
      offset_ += static_cast<int64_t>(buffer_.size());
      used_ = 0;
    }
    const size_t k = std::min(n, buffer_.size() - used_);
    std::memcpy(buf, buffer_.data() + used_, k);
    used_ += k;
    return k;
  }

 private:
  std::shared_ptr<const net::S3Client> client_;
  const std::string key_;
  const int64_t size_;
  const int64_t chunk_;
  int64_t offset_ = 0;  // of the next range to fetch
  std::string buffer_;
  size_t used_ = 0;
};

}  // namespace

absl::StatusOr<ArtifactStorePtr> S3ArtifactStore::Create(net::S3Client client, std::string prefix,
                                                         int64_t part_bytes) {
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  while (!prefix.empty() && prefix.front() == '/') prefix.erase(0, 1);
  if (!prefix.empty()) prefix += '/';
  const std::string where = client.Describe() + prefix;
  auto store = std::unique_ptr<S3ArtifactStore>(
      new S3ArtifactStore(std::move(client), std::move(prefix), part_bytes));
  const std::string probe = TempKey(store->prefix_, 0) + ".probe";
  absl::Status st = store->client_->Put(probe, "");
  if (st.ok()) st = store->client_->Delete(probe);
  if (!st.ok()) {
    return absl::Status(st.code(),
                        StrCat("cannot use ", where, " for artifacts: ", StatusMessage(st)));
  }
  return ArtifactStorePtr(std::move(store));
}

std::string S3ArtifactStore::BlobKey(const std::string& digest) const {
  return DigestKey(prefix_, digest);
}

absl::StatusOr<std::unique_ptr<BlobWriter>> S3ArtifactStore::NewWriter() {
  return std::make_unique<S3BlobWriter>(client_, prefix_, TempKey(prefix_, ++writers_),
                                        part_bytes_);
}

absl::StatusOr<std::unique_ptr<BlobReader>> S3ArtifactStore::Open(const std::string& digest) {
  RETURN_IF_ERROR(CheckBlobDigest(digest));
  const std::string key = BlobKey(digest);
  absl::StatusOr<net::S3Object> head = client_->Head(key);
  if (head.status().code() == absl::StatusCode::kNotFound) {
    return absl::NotFoundError(StrCat("no blob ", digest));
  }
  if (!head.ok()) return head.status();
  return std::make_unique<S3BlobReader>(client_, key, head->size, part_bytes_);
}

bool S3ArtifactStore::Exists(const std::string& digest) {
  return IsValidBlobDigest(digest) && client_->Head(BlobKey(digest)).ok();
}

absl::Status S3ArtifactStore::Delete(const std::string& digest) {
  RETURN_IF_ERROR(CheckBlobDigest(digest));
  return client_->Delete(BlobKey(digest));
}

absl::StatusOr<std::string> S3ArtifactStore::StartParts() {
  const std::string key = TempKey(prefix_, ++writers_);
  ASSIGN_OR_RETURN(std::string upload_id, client_->StartMultipart(key));
  return StrCat(key.substr(prefix_.size() + 4), ".", upload_id);  // without "<prefix>tmp/"
}

absl::StatusOr<std::pair<std::string, std::string>> S3ArtifactStore::PartsKey(
    const std::string& id) const {
  const size_t dot = id.find('.');
  bool valid = dot != std::string::npos && dot > 0 && dot + 1 < id.size() && id.size() <= 1024;
  for (size_t i = 0; valid && i < dot; ++i) {
    const char c = id[i];
    valid = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-';
  }
  if (!valid) return absl::InvalidArgumentError("Invalid upload_id '" + id.substr(0, 80) + "'");
  return std::make_pair(StrCat(prefix_, "tmp/", id.substr(0, dot)), id.substr(dot + 1));
}

absl::StatusOr<std::string> S3ArtifactStore::PutPart(const std::string& id, int number,
                                                     std::string_view bytes) {
  ASSIGN_OR_RETURN(auto key, PartsKey(id));
  if (number < 1 || number > 10000) {
    return absl::InvalidArgumentError(StrCat("part_number ", number, " is not in 1..10000"));
  }
  return client_->UploadPart(key.first, key.second, number, bytes);
}

absl::StatusOr<BlobInfo> S3ArtifactStore::CompleteParts(const std::string& id,
                                                        const std::vector<std::string>& etags) {
  ASSIGN_OR_RETURN(auto key, PartsKey(id));
  if (etags.empty()) return absl::InvalidArgumentError("a multipart upload needs a part");
  RETURN_IF_ERROR(client_->CompleteMultipart(key.first, key.second, etags));
  ASSIGN_OR_RETURN(net::S3Object object, client_->Head(key.first));
  Sha256 hash;
  for (int64_t offset = 0; offset < object.size;) {
    ASSIGN_OR_RETURN(
        std::string range,
        client_->GetRange(key.first, offset, std::min(part_bytes_, object.size - offset)));
    if (range.empty()) return absl::DataLossError(StrCat("S3 object ", key.first, " ended early"));
    hash.Update(range);
    offset += static_cast<int64_t>(range.size());
  }
  BlobInfo info{hash.FinishHex(), object.size};
  const std::string blob = BlobKey(info.digest);
  absl::Status st = client_->Head(blob).ok() ? absl::OkStatus()
                                             : client_->CopyLarge(key.first, blob, object.size);
  absl::Status removed = client_->Delete(key.first);
  RETURN_IF_ERROR(st);
  RETURN_IF_ERROR(removed);
  return info;
}

absl::Status S3ArtifactStore::AbortParts(const std::string& id) {
  ASSIGN_OR_RETURN(auto key, PartsKey(id));
  return client_->AbortMultipart(key.first, key.second);
}

}  // namespace ferry::store::s3
