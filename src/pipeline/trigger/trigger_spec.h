#pragma once
// One entry of a pipeline's `triggers:` list (docs/PIPELINES.md, "Triggers"), as parsed from
// pipeline.yaml (spec_trigger_parser.cc) and read by the watcher's evaluators:
//
//   - schedule: "*/5 * * * *"                             a cron schedule, UTC
//   - data: data/sessions.csv                             the path's digest changed
//     poll: 10s
//   - alert: {deployment: recsys, type: drift}            monitoring_alert.firing
//   - registry: {event: model_version.created, model: bc} a registry webhook event

#include <cstdint>
#include <string>
#include <string_view>

#include "pipeline/trigger/run_coalescer.h"

namespace ferry::pipeline {

struct TriggerSpec {
  TriggerKind kind = TriggerKind::kSchedule;  // kSchedule, kNewData, kAlert or kRegistryEvent
  std::string schedule;                       // kSchedule: the cron text (valid)
  std::string path;                           // kNewData: relative to the pipeline's directory
  int64_t poll_seconds = 10;                  // kNewData: how often the digest is taken
  std::string deployment;                     // kAlert: the deployment (model) name
  std::string alert_type = "any";             // kAlert: see kAlertTypes
  std::string event;                          // kRegistryEvent: "entity.action"
  std::string model;                          // kRegistryEvent: empty: any model
  int line = 0;                               // where the entry is in the file (1-based)
  int column = 0;
};

// The alert types a trigger may name: `drift` is data_drift or prediction_drift, `any` every
// kind live monitoring raises; the others are the alert kinds themselves.
inline constexpr const char* kAlertTypes[] = {"drift",   "data_drift", "prediction_drift",
                                              "quality", "bias",       "any"};
bool IsAlertType(std::string_view type);
// Whether an alert of `kind` ("data_drift", ...) is one `type` asks for.
bool AlertTypeMatches(std::string_view type, std::string_view kind);

// How the trigger reads in progress lines: "schedule */5 * * * *", "data data/x.csv (every
// 10s)", "alert drift on recsys", "registry model_version.created of bc".
std::string DescribeTrigger(const TriggerSpec& trigger);

}  // namespace ferry::pipeline
