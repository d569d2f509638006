#pragma once
// The routes MLflow's web UI calls outside the REST API proper, wire-compatible with MLflow
// 2.12.2 (server/__init__.py and server/handlers.py): same paths, parameters, limits, JSON
// and error texts. app/ calls these once at start-up.
//
//   GET  /get-artifact?run_id|run_uuid=&path=             a run's artifact file
//   GET  /model-versions/get-artifact?name=&version=&path= a model version's artifact file
//   POST /ajax-api/2.0/mlflow/upload-artifact?run_uuid=&path=  body = the file (<= 10 MB)
//   GET  /ajax-api/2.0/mlflow/metrics/get-history-bulk?run_id=..&metric_key=&max_results=
//   GET  /{api,ajax-api}/2.0/mlflow/metrics/get-history-bulk-interval?run_ids=..&metric_key=
//        [&start_step=&end_step=][&max_results=]
//   POST /ajax-api/2.0/mlflow/experiments/search-datasets {"experiment_ids": [...]}

#include "http/router.h"
#include "registry/registry_service.h"
#include "tracking/artifact_service.h"
#include "tracking/tracking_service.h"

namespace ferry::http {

class BlockingWorker;

// get-artifact, model-versions/get-artifact and upload-artifact. With a `worker` (an S3 blob
// store) their store calls run on it, as RegisterArtifactRoutes' do.
void RegisterUiArtifactRoutes(Router& router, tracking::ArtifactService& artifacts,
                              registry::RegistryService& registry,
                              BlockingWorker* worker = nullptr);
// metrics/get-history-bulk, metrics/get-history-bulk-interval and experiments/search-datasets.
void RegisterUiMetricRoutes(Router& router, tracking::TrackingService& tracking);

}  // namespace ferry::http
