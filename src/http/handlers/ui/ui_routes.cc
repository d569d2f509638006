#include "http/handlers/ui/ui_routes.h"

#include <algorithm>
#include <string_view>

#include "common/fs.h"
#include "http/handlers/ui/ui_assets.h"

namespace ferry::http {
namespace {

// frame-src blob: is for the PDF preview: the page fetches the artifact (which /get-artifact
// sends as an attachment) and frames a blob: of it typed application/pdf, made by its own script.
// img-src and media-src blob: are for images and audio outside the `default` workspace: an
// <img> or <audio> cannot send X-MLFLOW-WORKSPACE, so the page fetches the artifact with it
// and shows a blob: of the bytes.
constexpr char kCsp[] =
    "default-src 'self'; img-src 'self' blob: data:; media-src 'self' blob:; "
    "frame-src 'self' blob:; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'self'";

std::string ContentType(std::string_view path) {
  const size_t dot = path.rfind('.');
  const std::string_view ext = dot == std::string_view::npos ? "" : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  return "application/octet-stream";
}

// A file name of the UI's own: letters, digits, '.', '-', '_', not starting with '.'.
bool SafeName(std::string_view name) {
  if (name.empty() || name[0] == '.' || name.size() > 128) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_';
  });
}

bool AcceptsGzip(const HttpRequest& req) {
  const std::string* accept = req.Header("accept-encoding");
  return accept != nullptr && accept->find("gzip") != std::string::npos;
}

HttpResponse NotFound() {
  return HttpResponse::Json(404,
                            R"({"error_code":"ENDPOINT_NOT_FOUND","message":"No such UI file"})");
}

HttpResponse WithHeaders(HttpResponse r) {
  r.headers.emplace_back("Content-Security-Policy", kCsp);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  return r;
}

HttpResponse ServeEmbedded(const HttpRequest& req, std::string_view path) {
  const auto& assets = ui::EmbeddedAssets();
  auto it = std::lower_bound(assets.begin(), assets.end(), path,
                             [](const ui::Asset& a, std::string_view p) { return a.path < p; });
  if (it == assets.end() || it->path != path) return WithHeaders(NotFound());
  HttpResponse r;
  r.content_type = ContentType(path);
  r.headers.emplace_back("ETag", std::string(it->etag));
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Vary", "Accept-Encoding");
  const std::string* match = req.Header("if-none-match");
  if (match != nullptr && *match == it->etag) {
    r.status = 304;
    return WithHeaders(std::move(r));
  }
  if (AcceptsGzip(req)) {
    r.headers.emplace_back("Content-Encoding", "gzip");
    r.body = std::string(it->gzip);
  } else {
    r.body = std::string(it->raw);
  }
  return WithHeaders(std::move(r));
}

HttpResponse ServeFromDir(const std::string& dir, std::string_view path) {
  auto text = ReadFile(JoinPath(dir, std::string(path)));
  if (!text.ok()) return WithHeaders(NotFound());
  HttpResponse r = HttpResponse::Text(200, *std::move(text), ContentType(path));
  r.headers.emplace_back("Cache-Control", "no-store");
  return WithHeaders(std::move(r));
}

}  // namespace

void RegisterUiRoutes(Router& router, const UiOptions& options) {
  if (!options.enabled) return;
  auto serve = [dir = options.dir](const HttpRequest& req, std::string_view path) {
    return dir.empty() ? ServeEmbedded(req, path) : ServeFromDir(dir, path);
  };
  router.Add("GET", "/", [serve](HttpRequest& req) { return serve(req, "index.html"); });
  router.Add("GET", "/static/*", [serve](HttpRequest& req) {
    if (!SafeName(req.path_rest)) return WithHeaders(NotFound());
    return serve(req, "static/" + req.path_rest);
  });
}

}  // namespace ferry::http
