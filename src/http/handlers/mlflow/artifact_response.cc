// MLflow's artifact download headers: mime_type_utils._guess_mime_type (with Python 3.11's
// built-in mimetypes table), Werkzeug's send_file Content-Disposition and single byte ranges.

#include "http/handlers/mlflow/artifact_response.h"

#include <unistd.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <tuple>
#include <utility>

#include "common/strings.h"
#include "http/handlers/error_response.h"

namespace ferry::http {
namespace {

class BlobSource : public BodySource {
 public:
  explicit BlobSource(std::unique_ptr<store::BlobReader> reader) : reader_(std::move(reader)) {}
  // BodySource
  int64_t size() const override { return reader_->size(); }
  int fd() const override { return reader_->fd(); }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override { return reader_->Read(buf, n); }

 private:
  std::unique_ptr<store::BlobReader> reader_;
};

// Bytes [start, start + length) of a blob. The descriptor is moved to `start` for sendfile;
// Read() skips to `start` through the reader first.
class RangeSource : public BodySource {
 public:
  RangeSource(std::unique_ptr<store::BlobReader> reader, int64_t start, int64_t length)
      : reader_(std::move(reader)), start_(start), length_(length) {
    int fd = reader_->fd();
    seekable_ = fd >= 0 && ::lseek(fd, start, SEEK_SET) == start;
  }
  // BodySource
  int64_t size() const override { return length_; }
  int fd() const override { return seekable_ ? reader_->fd() : -1; }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override {
    while (skipped_ < start_) {
      size_t want = static_cast<size_t>(std::min<int64_t>(start_ - skipped_, n));
      ASSIGN_OR_RETURN(size_t got, reader_->Read(buf, want));
      if (got == 0) return absl::DataLossError("artifact shorter than its index says");
      skipped_ += static_cast<int64_t>(got);
    }
    size_t want = static_cast<size_t>(std::min<int64_t>(length_ - sent_, n));
    if (want == 0) return 0;
    ASSIGN_OR_RETURN(size_t got, reader_->Read(buf, want));
    sent_ += static_cast<int64_t>(got);
    return got;
  }

 private:
  std::unique_ptr<store::BlobReader> reader_;
  int64_t start_, length_;
  int64_t skipped_ = 0, sent_ = 0;
  bool seekable_ = false;
};

struct ByteRange {
  bool satisfiable = true;
  int64_t start = 0, length = 0;
};

std::optional<int64_t> ParseOffset(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// One "bytes=a-b", "bytes=a-" or "bytes=-n" range (RFC 9110 14.1.2). nullopt, meaning "send
// the whole file", for anything else: a malformed value or several ranges.
std::optional<ByteRange> ParseRange(std::string_view value, int64_t size) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  value = trim(value);
  if (value.size() < 6 || ToLower(value.substr(0, 6)) != "bytes=") return std::nullopt;
  std::string_view spec = trim(value.substr(6));
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) {
    return std::nullopt;
  }
  std::optional<int64_t> first = ParseOffset(trim(spec.substr(0, dash)));
  std::optional<int64_t> last = ParseOffset(trim(spec.substr(dash + 1)));
  ByteRange r;
  if (!first) {  // a suffix: the last n bytes
    if (!last) return std::nullopt;
    if (*last == 0 || size == 0) return ByteRange{false};
    r.start = size - std::min(*last, size);
  } else {
    if (last && *last < *first) return std::nullopt;
    if (*first >= size) return ByteRange{false};
    r.start = *first;
  }
  int64_t end = first && last ? std::min(*last, size - 1) : size - 1;
  r.length = end - r.start + 1;
  return r;
}

// mime_type_utils.get_text_extensions() (MLmodel and MLproject are whole file names).
constexpr std::string_view kTextExtensions[] = {
    "txt",  "log",   "err",  "cfg",  "conf", "cnf",     "cf",       "ini", "properties",
    "prop", "hocon", "toml", "yaml", "yml",  "xml",     "json",     "js",  "py",
    "py3",  "csv",   "tsv",  "md",   "rst",  "MLmodel", "MLproject"};

// Python 3.11 mimetypes._types_map_default (case-sensitive keys, as Python looks them up).
constexpr struct {
  std::string_view ext;
  std::string_view type;
} kTypes[] = {
    {".3g2", "audio/3gpp2"},
    {".3gp", "audio/3gpp"},
    {".3gpp", "audio/3gpp"},
    {".3gpp2", "audio/3gpp2"},
    {".a", "application/octet-stream"},
    {".aac", "audio/aac"},
    {".adts", "audio/aac"},
    {".ai", "application/postscript"},
    {".aif", "audio/x-aiff"},
    {".aifc", "audio/x-aiff"},
    {".aiff", "audio/x-aiff"},
    {".ass", "audio/aac"},
    {".au", "audio/basic"},
    {".avi", "video/x-msvideo"},
    {".avif", "image/avif"},
    {".bat", "text/plain"},
    {".bcpio", "application/x-bcpio"},
    {".bin", "application/octet-stream"},
    {".bmp", "image/bmp"},
    {".c", "text/plain"},
    {".cdf", "application/x-netcdf"},
    {".cpio", "application/x-cpio"},
    {".csh", "application/x-csh"},
    {".css", "text/css"},
    {".csv", "text/csv"},
    {".dll", "application/octet-stream"},
    {".doc", "application/msword"},
    {".dot", "application/msword"},
    {".dvi", "application/x-dvi"},
    {".eml", "message/rfc822"},
    {".eps", "application/postscript"},
    {".etx", "text/x-setext"},
    {".exe", "application/octet-stream"},
    {".gif", "image/gif"},
    {".gtar", "application/x-gtar"},
    {".h", "text/plain"},
    {".h5", "application/x-hdf5"},
    {".hdf", "application/x-hdf"},
    {".heic", "image/heic"},
    {".heif", "image/heif"},
    {".htm", "text/html"},
    {".html", "text/html"},
    {".ico", "image/vnd.microsoft.icon"},
    {".ief", "image/ief"},
    {".jpe", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".jpg", "image/jpeg"},
    {".js", "application/javascript"},
    {".json", "application/json"},
    {".ksh", "text/plain"},
    {".latex", "application/x-latex"},
    {".loas", "audio/aac"},
    {".m1v", "video/mpeg"},
    {".m3u", "application/vnd.apple.mpegurl"},
    {".m3u8", "application/vnd.apple.mpegurl"},
    {".man", "application/x-troff-man"},
    {".me", "application/x-troff-me"},
    {".mht", "message/rfc822"},
    {".mhtml", "message/rfc822"},
    {".mif", "application/x-mif"},
    {".mjs", "application/javascript"},
    {".mov", "video/quicktime"},
    {".movie", "video/x-sgi-movie"},
    {".mp2", "audio/mpeg"},
    {".mp3", "audio/mpeg"},
    {".mp4", "video/mp4"},
    {".mpa", "video/mpeg"},
    {".mpe", "video/mpeg"},
    {".mpeg", "video/mpeg"},
    {".mpg", "video/mpeg"},
    {".ms", "application/x-troff-ms"},
    {".n3", "text/n3"},
    {".nc", "application/x-netcdf"},
    {".nq", "application/n-quads"},
    {".nt", "application/n-triples"},
    {".nws", "message/rfc822"},
    {".o", "application/octet-stream"},
    {".obj", "application/octet-stream"},
    {".oda", "application/oda"},
    {".opus", "audio/opus"},
    {".p12", "application/x-pkcs12"},
    {".p7c", "application/pkcs7-mime"},
    {".pbm", "image/x-portable-bitmap"},
    {".pdf", "application/pdf"},
    {".pfx", "application/x-pkcs12"},
    {".pgm", "image/x-portable-graymap"},
    {".pl", "text/plain"},
    {".png", "image/png"},
    {".pnm", "image/x-portable-anymap"},
    {".pot", "application/vnd.ms-powerpoint"},
    {".ppa", "application/vnd.ms-powerpoint"},
    {".ppm", "image/x-portable-pixmap"},
    {".pps", "application/vnd.ms-powerpoint"},
    {".ppt", "application/vnd.ms-powerpoint"},
    {".ps", "application/postscript"},
    {".pwz", "application/vnd.ms-powerpoint"},
    {".py", "text/x-python"},
    {".pyc", "application/x-python-code"},
    {".pyo", "application/x-python-code"},
    {".qt", "video/quicktime"},
    {".ra", "audio/x-pn-realaudio"},
    {".ram", "application/x-pn-realaudio"},
    {".ras", "image/x-cmu-raster"},
    {".rdf", "application/xml"},
    {".rgb", "image/x-rgb"},
    {".roff", "application/x-troff"},
    {".rtx", "text/richtext"},
    {".sgm", "text/x-sgml"},
    {".sgml", "text/x-sgml"},
    {".sh", "application/x-sh"},
    {".shar", "application/x-shar"},
    {".snd", "audio/basic"},
    {".so", "application/octet-stream"},
    {".src", "application/x-wais-source"},
    {".srt", "text/plain"},
    {".sv4cpio", "application/x-sv4cpio"},
    {".sv4crc", "application/x-sv4crc"},
    {".svg", "image/svg+xml"},
    {".swf", "application/x-shockwave-flash"},
    {".t", "application/x-troff"},
    {".tar", "application/x-tar"},
    {".tcl", "application/x-tcl"},
    {".tex", "application/x-tex"},
    {".texi", "application/x-texinfo"},
    {".texinfo", "application/x-texinfo"},
    {".tif", "image/tiff"},
    {".tiff", "image/tiff"},
    {".tr", "application/x-troff"},
    {".trig", "application/trig"},
    {".tsv", "text/tab-separated-values"},
    {".txt", "text/plain"},
    {".ustar", "application/x-ustar"},
    {".vcf", "text/x-vcard"},
    {".vtt", "text/vtt"},
    {".wasm", "application/wasm"},
    {".wav", "audio/x-wav"},
    {".webm", "video/webm"},
    {".webmanifest", "application/manifest+json"},
    {".wiz", "application/msword"},
    {".wsdl", "application/xml"},
    {".xbm", "image/x-xbitmap"},
    {".xlb", "application/vnd.ms-excel"},
    {".xls", "application/vnd.ms-excel"},
    {".xml", "text/xml"},
    {".xpdl", "application/xml"},
    {".xpm", "image/x-xpixmap"},
    {".xsl", "application/xml"},
    {".xwd", "image/x-xwindowdump"},
    {".zip", "application/zip"},
};

// posixpath.splitext on a file name: leading dots do not start an extension.
std::pair<std::string_view, std::string_view> SplitExt(std::string_view name) {
  size_t dot = name.rfind('.');
  if (dot == std::string_view::npos) return {name, {}};
  size_t first = name.find_first_not_of('.');
  if (first == std::string_view::npos || first >= dot) return {name, {}};
  return {name.substr(0, dot), name.substr(dot)};
}

std::string_view LookupType(std::string_view ext) {
  for (const auto& t : kTypes) {
    if (t.ext == ext) return t.type;
  }
  std::string lower = ToLower(ext);
  for (const auto& t : kTypes) {
    if (t.ext == lower) return t.type;
  }
  return {};
}

// mimetypes.guess_type(name)[0]: suffix aliases (.tgz -> .tar.gz), then one encoding suffix
// (.gz .Z .bz2 .xz .br) is set aside, then the type of the extension left.
std::string_view PythonGuessType(std::string_view name) {
  static const struct {
    std::string_view from, to;
  } kSuffixes[] = {{".svgz", ".svg.gz"}, {".tgz", ".tar.gz"},   {".taz", ".tar.gz"},
                   {".tz", ".tar.gz"},   {".tbz2", ".tar.bz2"}, {".txz", ".tar.xz"}};
  std::string current(name);
  auto [base, ext] = SplitExt(current);
  for (bool again = true; again;) {
    again = false;
    for (const auto& s : kSuffixes) {
      if (ToLower(ext) == s.from) {
        current = std::string(base) + std::string(s.to);
        std::tie(base, ext) = SplitExt(current);
        again = true;
        break;
      }
    }
  }
  for (std::string_view enc : {".gz", ".Z", ".bz2", ".xz", ".br"}) {
    if (ext == enc) {
      std::tie(base, ext) = SplitExt(base);
      break;
    }
  }
  return LookupType(ext);
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool IsTokenChar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::string GuessMimeType(std::string_view path) {
  std::string_view name = BaseName(path);
  std::string ext(SplitExt(name).second);
  std::erase(ext, '.');
  if (ext.empty()) ext = std::string(name);
  for (std::string_view text : kTextExtensions) {
    if (ext == text) return "text/plain";
  }
  std::string_view type = PythonGuessType(name);
  return type.empty() ? "application/octet-stream" : std::string(type);
}

std::string AttachmentDisposition(std::string_view filename) {
  bool ascii = true;
  std::string simple;  // Werkzeug keeps the ASCII part (after NFKD, which is not done here)
  for (unsigned char c : filename) {
    if (c >= 0x80) {
      ascii = false;
      continue;
    }
    simple += (c < 0x20 || c == 0x7f) ? '_' : static_cast<char>(c);
  }
  bool token = !simple.empty();
  for (unsigned char c : simple) token = token && IsTokenChar(c);
  std::string out = "attachment; filename=";
  if (token) {
    out += simple;
  } else {
    out += '"';
    for (char c : simple) {
      if (c == '\\' || c == '"') out += '\\';
      out += c;
    }
    out += '"';
  }
  if (!ascii) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    constexpr std::string_view kSafe = "!#$&+-.^_`|~";
    out += "; filename*=UTF-8''";
    for (unsigned char c : filename) {
      bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (alnum || kSafe.find(static_cast<char>(c)) != std::string_view::npos) {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
  }
  return out;
}

HttpResponse ArtifactFileResponse(tracking::ArtifactDownload download, std::string_view path,
                                  const HttpRequest& request) {
  HttpResponse resp;
  resp.content_type = GuessMimeType(path);
  resp.headers.emplace_back("Content-Disposition", AttachmentDisposition(BaseName(path)));
  resp.headers.emplace_back("X-Content-Type-Options", "nosniff");
  // Opened on its own (not through the UI), an HTML artifact still gets no script origin.
  resp.headers.emplace_back("Content-Security-Policy", "sandbox");
  resp.headers.emplace_back("Accept-Ranges", "bytes");
  const int64_t size = download.reader->size();
  const std::string* range_header = request.Header("range");
  std::optional<ByteRange> range;
  // If-Range names a version this server cannot compare: the whole file, as RFC 9110 says.
  if (range_header != nullptr && request.Header("if-range") == nullptr) {
    range = ParseRange(*range_header, size);
  }
  if (range && !range->satisfiable) {
    resp.status = 416;
    resp.content_type = "text/plain";
    resp.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
    return resp;
  }
  if (range) {
    resp.status = 206;
    resp.headers.emplace_back("Content-Range",
                              "bytes " + std::to_string(range->start) + "-" +
                                  std::to_string(range->start + range->length - 1) + "/" +
                                  std::to_string(size));
    resp.source =
        std::make_unique<RangeSource>(std::move(download.reader), range->start, range->length);
    return resp;
  }
  resp.source = std::make_unique<BlobSource>(std::move(download.reader));
  return resp;
}

bool IsPackagePath(std::string_view path) {
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  return path == "packages" || StartsWith(path, "packages/");
}

HttpResponse PackagesAreReadOnly() {
  return ErrorResponse(absl::PermissionDeniedError(
      "artifacts under packages/ are written only by POST /api/ferry/v1/packages "
      "(`ferry models register NAME --package DIR`), which verifies them first"));
}

}  // namespace ferry::http
