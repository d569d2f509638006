// MLflow 2.12.2's mime_type_utils._guess_mime_type, with Python 3.11's built-in mimetypes
// table (mimetypes._types_map_default; /etc/mime.types is not read, so the answer does not
// depend on the host).

#include "http/handlers/mlflow/mime_type.h"

#include <span>
#include <tuple>
#include <utility>

#include "common/strings.h"

namespace ferry::http {
namespace {

// mime_type_utils.get_text_extensions() (MLmodel and MLproject are whole file names).
constexpr std::string_view kTextExtensions[] = {
    "txt",  "log",   "err",  "cfg",  "conf", "cnf",     "cf",       "ini", "properties",
    "prop", "hocon", "toml", "yaml", "yml",  "xml",     "json",     "js",  "py",
    "py3",  "csv",   "tsv",  "md",   "rst",  "MLmodel", "MLproject"};

struct TypeEntry {
  std::string_view ext;
  std::string_view type;
};

// Python 3.11 mimetypes._types_map_default (case-sensitive keys, as Python looks them up).
constexpr TypeEntry kTypes[] = {
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

// Audio types Python 3.11's table lacks, so the UI's <audio> previews get a real type
// (MLflow sends application/octet-stream for these).
constexpr TypeEntry kAudioTypes[] = {
    {".flac", "audio/flac"}, {".m4a", "audio/mp4"}, {".oga", "audio/ogg"}, {".ogg", "audio/ogg"}};

std::string_view LookupType(std::string_view ext) {
  std::string lower = ToLower(ext);
  for (std::span<const TypeEntry> table :
       {std::span<const TypeEntry>(kTypes), std::span<const TypeEntry>(kAudioTypes)}) {
    for (const auto& t : table) {
      if (t.ext == ext) return t.type;
    }
    for (const auto& t : table) {
      if (t.ext == lower) return t.type;
    }
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

}  // namespace

std::string GuessMimeType(std::string_view path) {
  std::string_view name = path.substr(path.rfind('/') + 1);
  std::string ext(SplitExt(name).second);
  std::erase(ext, '.');
  if (ext.empty()) ext = std::string(name);
  for (std::string_view text : kTextExtensions) {
    if (ext == text) return "text/plain";
  }
  std::string_view type = PythonGuessType(name);
  return type.empty() ? "application/octet-stream" : std::string(type);
}

}  // namespace ferry::http
