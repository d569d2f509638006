#pragma once
// The training job's run recorded in-process, through the tracking and artifact services: how
// a server runs the job (the CLI records over REST instead, cli/train_run_recorder).

#include <memory>

#include "tracking/artifact_service.h"
#include "tracking/tracking_service.h"
#include "training/train_job.h"

namespace ferry::training {

// Both services must outlive the recorder.
std::unique_ptr<RunRecorder> NewTrackingRunRecorder(tracking::TrackingService& tracking,
                                                    tracking::ArtifactService& artifacts,
                                                    Clock& clock);

}  // namespace ferry::training
