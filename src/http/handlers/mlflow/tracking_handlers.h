#pragma once
// Route registration for MLflow's tracking API, the artifact proxy and the health endpoints.
// Each group lives in its own .cc file; app/ calls these once at start-up.

#include "http/router.h"
#include "tracking/artifact_service.h"
#include "tracking/tracking_service.h"

namespace ferry::http {

class BlockingWorker;

void RegisterExperimentRoutes(Router& router, tracking::TrackingService& tracking);
void RegisterRunRoutes(Router& router, tracking::TrackingService& tracking);
void RegisterSearchRoutes(Router& router, tracking::TrackingService& tracking);
// Ferry's chart data: GET /api/ferry/v1/metrics/buckets (min, max and last per bucket).
void RegisterMetricBucketRoutes(Router& router, tracking::TrackingService& tracking);
// GET /api/ferry/v1/runs/export.csv: every matching run as CSV, written on `worker`.
void RegisterRunsExportRoute(Router& router, tracking::TrackingService& tracking,
                             BlockingWorker& worker);
// The artifact proxy (/api/2.0/mlflow-artifacts/...; MLflow's --serve-artifacts). With a
// `worker` (a remote blob store: S3), uploads are written and downloads read on it, never on
// the event loop (OffloadSink, OffloadSource).
void RegisterArtifactRoutes(Router& router, tracking::ArtifactService& artifacts,
                            BlockingWorker* worker = nullptr);
// MLflow's multipart upload through the proxy (mpu/create, complete, abort, and Ferry's part
// upload route), registered by RegisterArtifactRoutes.
void RegisterMultipartUploadRoutes(Router& router, tracking::ArtifactService& artifacts,
                                   BlockingWorker* worker);
// The tracking API's artifacts/list.
void RegisterRunArtifactListRoute(Router& router, tracking::ArtifactService& artifacts);
void RegisterHealthRoutes(Router& router);

}  // namespace ferry::http
