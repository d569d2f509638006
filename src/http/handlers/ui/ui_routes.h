#pragma once
// The web UI at `/`: index.html, and its scripts and styles under /static/. The UI is a
// single page that speaks only the public REST API; its routes live in the URL's fragment
// (#/experiments/1?...), so the server has two routes and never guesses which paths are pages.
//
// Every answer carries a Content-Security-Policy of default-src 'self' (no CDN, no inline
// script), nosniff and frame-ancestors 'none'; files are sent gzipped when the client takes
// gzip, with an ETag (If-None-Match gets 304) and Cache-Control: no-cache.

#include <string>

#include "http/router.h"

namespace ferry::http {

struct UiOptions {
  bool enabled = true;  // --no-ui turns it off (then `/` is the API's 404)
  // --ui-dir: serve a development copy (a directory holding index.html and static/) from
  // disk, read at each request, instead of the embedded files.
  std::string dir;
};

void RegisterUiRoutes(Router& router, const UiOptions& options);

}  // namespace ferry::http
