#pragma once
// How artifact files are sent (the artifact proxy's downloads, /get-artifact and
// /model-versions/get-artifact): streamed from the blob store, always as an attachment with
// MLflow's guessed Content-Type and `X-Content-Type-Options: nosniff`, so a browser never
// renders an artifact on the server's origin; and which paths the HTTP routes may not write.

#include <memory>
#include <string>
#include <string_view>

#include "http/handlers/mlflow/mime_type.h"
#include "http/http_types.h"
#include "http/router.h"
#include "tracking/artifact_service.h"

namespace ferry::http {

// `attachment; filename=NAME` as Werkzeug writes it: NAME bare when it is a token, else quoted
// with \ and " escaped; a non-ASCII name adds filename*=UTF-8''<percent-encoded>. Control
// characters never reach the header (replaced by '_').
std::string AttachmentDisposition(std::string_view filename);

// A 200 streaming `download` (sendfile when the blob store gives a file descriptor), named
// after the last component of `path`, with `Accept-Ranges: bytes`. A single `Range` of
// `request` (bytes=a-b, a-, -n; no If-Range) answers 206 with Content-Range, or 416 with
// `Content-Range: bytes */SIZE` when it starts past the end; other Range values are ignored.
HttpResponse ArtifactFileResponse(tracking::ArtifactDownload download, std::string_view path,
                                  const HttpRequest& request);

class BlockingWorker;

// The artifact routes' blocking store calls moved off the event loop, for a remote blob store
// (S3): `worker` null leaves responses and sinks as they are (a local store writes to disk
// and sends with sendfile on the loop).
JobRunner RunOn(BlockingWorker& worker);
// A download without a file descriptor, read ahead on `worker` while the loop sends
// (OffloadSource); a local file keeps sendfile.
void OffloadDownload(HttpResponse& response, BlockingWorker* worker);
// Adds a route whose handler calls the blob store (opening an S3 blob is a HEAD request,
// deleting one a DELETE): with a `worker` it runs there and a response body is offloaded as
// OffloadDownload says; inline without one.
void AddStoreRoute(Router& router, const std::string& method, const std::string& path,
                   BlockingWorker* worker, Handler handler);
// `sink` writing on `worker` (OffloadSink), or `sink` itself without a worker.
std::unique_ptr<BodySink> OffloadUpload(std::unique_ptr<BodySink> sink, BlockingWorker* worker);

// Packages are written only by POST /api/ferry/v1/packages, after verification; the proxy and
// upload-artifact may read them (that is how clients download a registered package) but not
// change them. True for "packages" and anything under it (leading slashes ignored).
bool IsPackagePath(std::string_view path);
// 403 PERMISSION_DENIED saying so.
HttpResponse PackagesAreReadOnly();

}  // namespace ferry::http
