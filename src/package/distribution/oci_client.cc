#include "package/distribution/oci_client.h"

#include <algorithm>

#include "common/json.h"
#include "common/sha256.h"
#include "common/strings.h"
#include "package/layout/oci.h"

namespace ferry::package {
namespace {

constexpr char kManifestAccept[] =
    "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json";

absl::Status WithCode(int status, const std::string& msg) {
  if (status == 404) return absl::NotFoundError(msg);
  if (status == 401 || status == 403) return absl::PermissionDeniedError(msg);
  if (status == 400 || status == 405 || status == 416) return absl::InvalidArgumentError(msg);
  if (status >= 500) return absl::UnavailableError(msg);
  return absl::UnknownError(msg);
}

// A certificate the system store does not know is the usual failure with a private registry.
absl::Status WithTlsHint(const absl::Status& status) {
  const std::string message(status.message());
  if (!StartsWith(message, "TLS with ")) return status;
  return absl::Status(status.code(), message + " (a private CA? trust it with --ca-cert FILE)");
}

std::string WithQuery(const std::string& url, const std::string& query) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

}  // namespace

absl::Status DistributionError(const std::string& method, const std::string& target,
                               const net::ClientResponse& resp) {
  std::string msg = method + " " + target + ": HTTP " + std::to_string(resp.status);
  auto doc = ParseJson(resp.body);
  const JsonValue* errors = doc.ok() ? doc->Find("errors") : nullptr;
  if (errors != nullptr && errors->is_array() && !errors->items().empty()) {
    for (const JsonValue& e : errors->items()) {
      const JsonValue* code = e.Find("code");
      const JsonValue* message = e.Find("message");
      if (code != nullptr && code->is_string()) msg += " " + code->as_string();
      if (message != nullptr && message->is_string()) msg += ": " + message->as_string();
    }
  } else if (!resp.body.empty() && resp.body.size() < 300) {
    msg += ": " + resp.body;
  }
  return WithCode(resp.status, "registry " + msg);
}

absl::StatusOr<OciDistributionClient> OciDistributionClient::Create(
    const DistributionReference& ref, RegistryOptions options) {
  ASSIGN_OR_RETURN(net::HttpClient http, net::HttpClient::ForUri(ref.BaseUrl()));
  http.set_unreachable_hint("Is the registry running at " + ref.registry + "?");
  if (!options.ca_file.empty()) http.set_ca_file(options.ca_file);
  auto auth = std::make_shared<RegistryAuth>(ref.registry, std::move(options.credentials));
  return OciDistributionClient(std::move(http), ref, std::move(auth));
}

absl::StatusOr<net::ClientResponse> OciDistributionClient::Call(net::ClientRequest request) const {
  const bool own =
      StartsWith(request.target, "/") || StartsWith(request.target, ref_.BaseUrl() + "/");
  const size_t given = request.headers.size();
  for (int attempt = 0;; ++attempt) {
    const std::string sent = own ? auth_->header() : "";
    request.headers.resize(given);
    if (!sent.empty()) request.headers.emplace_back("Authorization", sent);
    absl::StatusOr<net::ClientResponse> done = http_.Do(request);
    if (!done.ok()) return WithTlsHint(done.status());
    net::ClientResponse& response = *done;
    if (response.status != 401 || !own) return std::move(response);
    // The request as errors show it: the path, without an upload session's query.
    std::string what = request.target.substr(0, request.target.find('?'));
    if (!StartsWith(what, "/")) what = what.substr(std::min(what.size(), ref_.BaseUrl().size()));
    if (attempt > 0) return auth_->Refused(request.method + " " + what);
    RETURN_IF_ERROR(auth_->OnChallenge(response, sent, http_));
  }
}

absl::StatusOr<net::ClientResponse> OciDistributionClient::Call(
    const std::string& method, const std::string& target, const std::string& body,
    const std::string& content_type) const {
  net::ClientRequest request;
  request.method = method;
  request.target = target;
  request.body = body;
  if (!content_type.empty()) request.headers.emplace_back("Content-Type", content_type);
  return Call(std::move(request));
}

std::string OciDistributionClient::RepoPath(const std::string& suffix) const {
  return "/v2/" + ref_.repository + "/" + suffix;
}

std::string OciDistributionClient::Absolute(const std::string& location) const {
  if (StartsWith(location, "http://") || StartsWith(location, "https://")) return location;
  return ref_.BaseUrl() + (StartsWith(location, "/") ? "" : "/") + location;
}

absl::Status OciDistributionClient::Ping() const {
  ASSIGN_OR_RETURN(auto resp, Call("GET", "/v2/", "", ""));
  if (resp.status != 200) return DistributionError("GET", "/v2/", resp);
  return absl::OkStatus();
}

absl::StatusOr<bool> OciDistributionClient::HasBlob(const std::string& digest) const {
  std::string target = RepoPath("blobs/" + digest);
  ASSIGN_OR_RETURN(auto resp, Call("HEAD", target, "", ""));
  if (resp.status == 200) return true;
  if (resp.status == 404) return false;
  return DistributionError("HEAD", target, resp);
}

absl::StatusOr<std::string> OciDistributionClient::StartUpload() const {
  std::string target = RepoPath("blobs/uploads/");
  ASSIGN_OR_RETURN(auto resp, Call("POST", target, "", ""));
  std::string location = resp.Header("location");
  if (resp.status != 202 || location.empty()) return DistributionError("POST", target, resp);
  return Absolute(location);
}

absl::StatusOr<std::string> OciDistributionClient::PatchChunks(std::string location,
                                                               const std::string& digest,
                                                               const std::string& path,
                                                               int64_t size) const {
  for (int64_t off = 0; off < size; off += chunk_size_) {
    int64_t len = std::min(chunk_size_, size - off);
    net::ClientRequest req;
    req.method = "PATCH";
    req.target = location;
    req.body_file = path;
    req.body_file_offset = off;
    req.body_file_length = len;
    req.headers = {{"Content-Type", "application/octet-stream"},
                   {"Content-Range", std::to_string(off) + "-" + std::to_string(off + len - 1)}};
    ASSIGN_OR_RETURN(auto resp, Call(req));
    if (resp.status != 202) return DistributionError("PATCH", RepoPath("blobs/uploads/…"), resp);
    if (!resp.Header("location").empty()) location = Absolute(resp.Header("location"));
    if (progress_) progress_(Progress::Bytes(digest, off + len, size));
  }
  return location;
}

absl::Status OciDistributionClient::UploadBlob(const std::string& digest, const std::string& path,
                                               int64_t size) const {
  ASSIGN_OR_RETURN(std::string location, StartUpload());
  net::ClientRequest put;
  put.method = "PUT";
  put.headers = {{"Content-Type", "application/octet-stream"}};
  if (size > chunk_size_) {
    ASSIGN_OR_RETURN(location, PatchChunks(location, digest, path, size));
    put.body = "";
  } else {
    put.body_file = path;
    put.body_file_length = size;
  }
  put.target = WithQuery(location, "digest=" + digest);
  ASSIGN_OR_RETURN(auto resp, Call(put));
  if (resp.status != 201) {
    return DistributionError("PUT", RepoPath("blobs/uploads/…?digest=" + digest), resp);
  }
  if (progress_ && size <= chunk_size_) progress_(Progress::Bytes(digest, size, size));
  return absl::OkStatus();
}

absl::StatusOr<std::string> OciDistributionClient::PutManifest(
    const std::string& tag_or_digest, const std::string& raw, const std::string& media_type) const {
  std::string target = RepoPath("manifests/" + tag_or_digest);
  ASSIGN_OR_RETURN(auto resp, Call("PUT", target, raw, media_type));
  if (resp.status != 201) return DistributionError("PUT", target, resp);
  std::string ours = "sha256:" + Sha256Hex(raw);
  std::string theirs = resp.Header("docker-content-digest");
  if (!theirs.empty() && theirs != ours) {
    return absl::DataLossError("registry stored manifest " + tag_or_digest + " as " + theirs +
                               ", but its bytes hash to " + ours);
  }
  return ours;
}

absl::StatusOr<std::optional<FetchedManifest>> OciDistributionClient::GetManifest(
    const std::string& tag_or_digest) const {
  std::string target = RepoPath("manifests/" + tag_or_digest);
  net::ClientRequest req;
  req.target = target;
  req.headers = {{"Accept", kManifestAccept}};
  req.max_response_bytes = 4 << 20;
  ASSIGN_OR_RETURN(auto resp, Call(req));
  if (resp.status == 404) return std::optional<FetchedManifest>();
  if (resp.status != 200) return DistributionError("GET", target, resp);
  FetchedManifest m;
  m.raw = std::move(resp.body);
  m.media_type = resp.Header("content-type");
  m.digest = "sha256:" + Sha256Hex(m.raw);
  std::string header = resp.Header("docker-content-digest");
  if (!header.empty() && header != m.digest) {
    std::string sep = StartsWith(tag_or_digest, "sha256:") ? "@" : ":";
    return absl::DataLossError("manifest " + ref_.Name() + sep + tag_or_digest + " hashes to " +
                               m.digest + " but the registry says " + header);
  }
  return std::optional<FetchedManifest>(std::move(m));
}

absl::Status OciDistributionClient::DownloadBlob(const std::string& digest, int64_t size,
                                                 const std::string& dest_path) const {
  net::ClientRequest req;
  req.target = RepoPath("blobs/" + digest);
  req.response_file = dest_path;
  req.max_response_bytes = std::max<int64_t>(size, 64 << 10);  // error bodies are small
  for (int hop = 0; hop < 2; ++hop) {
    ASSIGN_OR_RETURN(auto resp, Call(req));
    if (resp.status == 200) {
      if (progress_) progress_(Progress::Bytes(digest, resp.body_bytes, resp.body_bytes));
      return absl::OkStatus();
    }
    bool redirect = resp.status == 301 || resp.status == 302 || resp.status == 303 ||
                    resp.status == 307 || resp.status == 308;
    if (!redirect || resp.Header("location").empty()) {
      return DistributionError("GET", RepoPath("blobs/" + digest), resp);
    }
    req.target = Absolute(resp.Header("location"));  // storage may sit behind https
  }
  return absl::UnavailableError("blob " + digest + ": too many redirects");
}

}  // namespace ferry::package
