#include "net/s3_client.h"

#include <algorithm>
#include <cstdlib>

#include "common/sha256.h"
#include "common/strings.h"

namespace ferry::net {
namespace {

constexpr int64_t kMaxCopyPart = int64_t{5} << 30;  // S3's limit for one copy

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v == nullptr ? "" : v;
}

// S3's bucket naming rules (3-63 of a-z, 0-9, '.', '-', starting and ending alphanumeric),
// so a bucket name can never change the URL it is put into.
bool ValidBucket(std::string_view b) {
  if (b.size() < 3 || b.size() > 63) return false;
  for (char c : b) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
  }
  return b.front() != '.' && b.front() != '-' && b.back() != '.' && b.back() != '-';
}

// The query-value encoding SigV4 canonicalises to: everything but A-Za-z0-9-_.~ escaped.
std::string QueryValue(std::string_view v) { return PercentEncode(v, "-_.~"); }

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '&') {
      out += "&amp;";
    } else if (c == '<') {
      out += "&lt;";
    } else if (c == '>') {
      out += "&gt;";
    } else {
      out += c;
    }
  }
  return out;
}

absl::Status S3Error(std::string_view what, const ClientResponse& r) {
  const std::string code = XmlElementText(r.body, "Code").value_or("");
  const std::string message = XmlElementText(r.body, "Message").value_or("");
  std::string text = StrCat("S3 ", what, ": HTTP ", r.status);
  if (!code.empty()) text += StrCat(" ", code);
  if (!message.empty()) text += StrCat(": ", message);
  if (r.status == 404) return absl::NotFoundError(text);
  if (r.status == 401 || r.status == 403) {
    return absl::PermissionDeniedError(
        text + " (check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and the bucket's policy)");
  }
  if (r.status >= 500) return absl::UnavailableError(text);
  return absl::InternalError(text);
}

// Copy and CompleteMultipartUpload may answer 200 with an <Error> body.
absl::Status CheckBody(std::string_view what, const ClientResponse& r) {
  if (r.status < 300 && r.body.find("<Error>") == std::string::npos) return absl::OkStatus();
  ClientResponse failed = r;
  if (failed.status < 300) failed.status = 500;
  return S3Error(what, failed);
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes one entity body (between '&' and ';'); false when it is not one XML knows.
bool DecodeEntity(std::string_view name, std::string& out) {
  static constexpr std::pair<std::string_view, char> kNamed[] = {
      {"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}};
  for (const auto& [n, c] : kNamed) {
    if (name == n) {
      out += c;
      return true;
    }
  }
  if (name.size() < 2 || name[0] != '#') return false;
  const bool hex = name[1] == 'x';
  std::string_view digits = name.substr(hex ? 2 : 1);
  if (digits.empty() || digits.size() > 8) return false;
  uint32_t cp = 0;
  for (char c : digits) {
    const int d = hex ? HexDigitValue(c) : (c >= '0' && c <= '9' ? c - '0' : -1);
    if (d < 0) return false;
    cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
  }
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  AppendUtf8(cp, out);
  return true;
}

}  // namespace

std::optional<std::string> XmlElementText(std::string_view xml, std::string_view tag) {
  const std::string open = StrCat("<", tag);
  size_t at = 0;
  while ((at = xml.find(open, at)) != std::string_view::npos) {
    const size_t after = at + open.size();
    if (after < xml.size() && (xml[after] == '>' || xml[after] == ' ' || xml[after] == '/')) break;
    at = after;
  }
  if (at == std::string_view::npos) return std::nullopt;
  const size_t gt = xml.find('>', at);
  if (gt == std::string_view::npos) return std::nullopt;
  if (xml[gt - 1] == '/') return std::string();
  const size_t close = xml.find(StrCat("</", tag, ">"), gt + 1);
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view text = xml.substr(gt + 1, close - gt - 1);
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<') return std::nullopt;  // a nested element, not text
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    const size_t semi = text.find(';', i);
    if (semi == std::string_view::npos || !DecodeEntity(text.substr(i + 1, semi - i - 1), out)) {
      return std::nullopt;
    }
    i = semi;
  }
  return out;
}

absl::StatusOr<S3Config> S3ConfigFromEnvironment(std::string bucket, std::string endpoint_url) {
  S3Config c;
  c.bucket = std::move(bucket);
  c.access_key_id = Env("AWS_ACCESS_KEY_ID");
  c.secret_access_key = Env("AWS_SECRET_ACCESS_KEY");
  c.session_token = Env("AWS_SESSION_TOKEN");
  for (const char* name : {"AWS_DEFAULT_REGION", "AWS_REGION"}) {
    if (c.region = Env(name); !c.region.empty()) break;
  }
  if (c.region.empty()) c.region = "us-east-1";
  c.endpoint_url = std::move(endpoint_url);
  for (const char* name : {"MLFLOW_S3_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"}) {
    if (c.endpoint_url.empty()) c.endpoint_url = Env(name);
  }
  c.ca_file = Env("AWS_CA_BUNDLE");
  for (const char* name : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}) {
    if (Env(name).empty()) {
      return absl::InvalidArgumentError(
          StrCat("S3 artifacts need credentials: ", name, " is not set"));
    }
  }
  return c;
}

absl::StatusOr<S3Client> S3Client::Create(const S3Config& config) {
  if (!ValidBucket(config.bucket)) {
    return absl::InvalidArgumentError(
        StrCat("invalid S3 bucket name \"", config.bucket,
               "\": 3 to 63 characters of a-z, 0-9, '.' and '-', starting and ending with a "
               "letter or digit"));
  }
  std::string endpoint = config.endpoint_url;
  std::string key_prefix = StrCat("/", config.bucket, "/");
  if (endpoint.empty()) {
    endpoint = StrCat("https://", config.bucket, ".s3.", config.region, ".amazonaws.com");
    key_prefix = "/";
  }
  absl::StatusOr<HttpClient> http = HttpClient::ForUri(endpoint);
  if (!http.ok()) {
    return absl::InvalidArgumentError(
        StrCat("invalid S3 endpoint URL: ", StatusMessage(http.status())));
  }
  http->set_aws_sigv4(StrCat(config.region, ":s3"), config.access_key_id, config.secret_access_key);
  if (!config.ca_file.empty()) http->set_ca_file(config.ca_file);
  http->set_unreachable_hint("Check --s3-endpoint-url or MLFLOW_S3_ENDPOINT_URL.");
  return S3Client(std::move(*http), config.bucket, std::move(key_prefix), config.session_token);
}

absl::StatusOr<ClientResponse> S3Client::Send(const std::string& method, const std::string& key,
                                              const std::string& query, std::string_view body,
                                              HeaderList headers) const {
  ClientRequest req;
  req.method = method;
  req.target = key_prefix_ + UrlEncode(key) + (query.empty() ? "" : "?" + query);
  req.body = std::string(body);
  req.headers = std::move(headers);
  req.headers.emplace_back("x-amz-content-sha256", Sha256Hex(body));
  if (!session_token_.empty()) req.headers.emplace_back("x-amz-security-token", session_token_);
  return http_.Do(req);
}

absl::Status S3Client::Put(const std::string& key, std::string_view body) const {
  ASSIGN_OR_RETURN(ClientResponse r, Send("PUT", key, "", body));
  return r.status < 300 ? absl::OkStatus() : S3Error(StrCat("put ", key), r);
}

absl::StatusOr<S3Object> S3Client::Head(const std::string& key) const {
  ASSIGN_OR_RETURN(ClientResponse r, Send("HEAD", key, "", ""));
  if (r.status >= 300) return S3Error(StrCat("head ", key), r);
  std::optional<int64_t> size = ParseInt64(r.Header("content-length"));
  if (!size || *size < 0) {
    return absl::DataLossError(StrCat("S3 head ", key, ": no valid Content-Length"));
  }
  return S3Object{*size, r.Header("etag")};
}

absl::StatusOr<std::string> S3Client::GetRange(const std::string& key, int64_t offset,
                                               int64_t length) const {
  if (length <= 0) return std::string();
  HeaderList range = {{"Range", StrCat("bytes=", offset, "-", offset + length - 1)}};
  ASSIGN_OR_RETURN(ClientResponse r, Send("GET", key, "", "", std::move(range)));
  if (r.status == 416) return std::string();  // the range starts at or past the end
  if (r.status >= 300) return S3Error(StrCat("get ", key), r);
  if (r.status == 200 && offset > 0) {
    return absl::DataLossError(StrCat("S3 get ", key, ": the server ignored the Range header"));
  }
  if (static_cast<int64_t>(r.body.size()) > length) r.body.resize(static_cast<size_t>(length));
  return std::move(r.body);
}

absl::Status S3Client::Delete(const std::string& key) const {
  ASSIGN_OR_RETURN(ClientResponse r, Send("DELETE", key, "", ""));
  return r.status < 300 || r.status == 404 ? absl::OkStatus() : S3Error(StrCat("delete ", key), r);
}

absl::Status S3Client::Copy(const std::string& from_key, const std::string& to_key) const {
  HeaderList source = {{"x-amz-copy-source", UrlEncode(StrCat(bucket_, "/", from_key))}};
  ASSIGN_OR_RETURN(ClientResponse r, Send("PUT", to_key, "", "", std::move(source)));
  return CheckBody(StrCat("copy ", from_key, " to ", to_key), r);
}

absl::StatusOr<std::string> S3Client::UploadPartCopy(const std::string& to_key,
                                                     const std::string& upload_id, int part_number,
                                                     const std::string& from_key, int64_t first,
                                                     int64_t last) const {
  HeaderList h = {{"x-amz-copy-source", UrlEncode(StrCat(bucket_, "/", from_key))},
                  {"x-amz-copy-source-range", StrCat("bytes=", first, "-", last)}};
  const std::string query = StrCat("partNumber=", part_number, "&uploadId=", QueryValue(upload_id));
  ASSIGN_OR_RETURN(ClientResponse r, Send("PUT", to_key, query, "", std::move(h)));
  RETURN_IF_ERROR(CheckBody(StrCat("copy part ", part_number, " of ", from_key), r));
  std::optional<std::string> etag = XmlElementText(r.body, "ETag");
  if (!etag) return absl::DataLossError("S3 copy part: the answer has no ETag");
  return *etag;
}

absl::Status S3Client::CopyLarge(const std::string& from_key, const std::string& to_key,
                                 int64_t size) const {
  if (size <= kMaxCopyPart) return Copy(from_key, to_key);
  ASSIGN_OR_RETURN(std::string upload_id, StartMultipart(to_key));
  std::vector<std::string> etags;
  for (int64_t first = 0; first < size; first += kMaxCopyPart) {
    const int64_t last = std::min(size, first + kMaxCopyPart) - 1;
    absl::StatusOr<std::string> etag = UploadPartCopy(
        to_key, upload_id, static_cast<int>(etags.size()) + 1, from_key, first, last);
    if (!etag.ok()) {
      (void)AbortMultipart(to_key, upload_id);
      return etag.status();
    }
    etags.push_back(*std::move(etag));
  }
  return CompleteMultipart(to_key, upload_id, etags);
}

absl::StatusOr<std::string> S3Client::StartMultipart(const std::string& key) const {
  ASSIGN_OR_RETURN(ClientResponse r, Send("POST", key, "uploads=", ""));
  if (r.status >= 300) return S3Error(StrCat("start upload of ", key), r);
  std::optional<std::string> id = XmlElementText(r.body, "UploadId");
  if (!id || id->empty()) {
    return absl::DataLossError(StrCat("S3 start upload of ", key, ": the answer has no UploadId"));
  }
  return *id;
}

absl::StatusOr<std::string> S3Client::UploadPart(const std::string& key,
                                                 const std::string& upload_id, int part_number,
                                                 std::string_view body) const {
  const std::string query = StrCat("partNumber=", part_number, "&uploadId=", QueryValue(upload_id));
  ASSIGN_OR_RETURN(ClientResponse r, Send("PUT", key, query, body));
  if (r.status >= 300) return S3Error(StrCat("upload part ", part_number, " of ", key), r);
  std::string etag = r.Header("etag");
  if (etag.empty()) return absl::DataLossError("S3 upload part: the answer has no ETag");
  return etag;
}

absl::Status S3Client::CompleteMultipart(const std::string& key, const std::string& upload_id,
                                         const std::vector<std::string>& etags) const {
  std::string xml = "<CompleteMultipartUpload>";
  for (size_t i = 0; i < etags.size(); ++i) {
    xml += StrCat("<Part><PartNumber>", i + 1, "</PartNumber><ETag>", XmlEscape(etags[i]),
                  "</ETag></Part>");
  }
  xml += "</CompleteMultipartUpload>";
  ASSIGN_OR_RETURN(ClientResponse r, Send("POST", key, "uploadId=" + QueryValue(upload_id), xml,
                                          {{"Content-Type", "application/xml"}}));
  return CheckBody(StrCat("complete upload of ", key), r);
}

absl::Status S3Client::AbortMultipart(const std::string& key, const std::string& upload_id) const {
  ASSIGN_OR_RETURN(ClientResponse r, Send("DELETE", key, "uploadId=" + QueryValue(upload_id), ""));
  return r.status < 300 || r.status == 404 ? absl::OkStatus()
                                           : S3Error(StrCat("abort upload of ", key), r);
}

}  // namespace ferry::net
