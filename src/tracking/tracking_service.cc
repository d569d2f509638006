#include "tracking/tracking_service.h"

#include <set>

#include "common/json.h"
#include "common/json_writer.h"
#include "common/strings.h"
#include "core/search/search_parser.h"
#include "core/validation.h"

namespace ferry::tracking {
namespace {

constexpr char kLogModelHistoryTag[] = "mlflow.log-model.history";

absl::Status ValidateTagList(const std::vector<ExperimentTag>& tags) {
  for (const auto& t : tags) {
    RETURN_IF_ERROR(ValidateEntityKey("tag", t.key));
    RETURN_IF_ERROR(ValidateLength("Tag value", t.value, kMaxExperimentTagValueLength));
  }
  return absl::OkStatus();
}

// Runs whose mlflow.parentRunId tag is one of `parents`: an IN on a tag, which MLflow's
// grammar does not let a filter say, so it is added to the parsed filter here.
absl::Status AddParentFilter(const std::vector<std::string>& parents, RunSearchQuery& q) {
  if (parents.size() > 1000) {
    return absl::InvalidArgumentError("runs/children: at most 1000 parent_run_ids, got " +
                                      std::to_string(parents.size()));
  }
  for (const auto& id : parents) RETURN_IF_ERROR(ValidateRunId(id));
  Comparison& c = q.filter.emplace_back();
  c.entity = SearchEntity::kTag;
  c.key = "mlflow.parentRunId";
  c.op = CompareOp::kIn;
  c.value.list = parents;
  return absl::OkStatus();
}

}  // namespace

// ---- experiments ----

absl::StatusOr<std::string> TrackingService::CreateExperiment(
    const std::string& name, const std::string& artifact_location,
    const std::vector<ExperimentTag>& tags, std::string_view workspace) {
  RETURN_IF_ERROR(ValidateExperimentName(name));
  RETURN_IF_ERROR(ValidateArtifactLocation(artifact_location));
  RETURN_IF_ERROR(ValidateTagList(tags));
  return store_.CreateExperimentIn(workspace, name, artifact_location, default_artifact_root_, tags,
                                   clock_.NowMillis());
}

absl::StatusOr<Experiment> TrackingService::GetExperiment(const std::string& id) {
  RETURN_IF_ERROR(ValidateExperimentId(id));
  return store_.GetExperiment(id);
}

absl::StatusOr<Experiment> TrackingService::GetExperimentByName(const std::string& name,
                                                                std::string_view workspace) {
  return store_.GetExperimentByNameIn(workspace, name);
}

absl::StatusOr<SearchResult<Experiment>> TrackingService::SearchExperiments(
    const SearchExperimentsRequest& r) {
  ExperimentSearchQuery q;
  ASSIGN_OR_RETURN(q.max_results,
                   CheckMaxResults(r.max_results, 1000, kMaxExperimentsSearchResults));
  ASSIGN_OR_RETURN(q.filter, ParseExperimentFilter(r.filter));
  ASSIGN_OR_RETURN(q.order_by, ParseExperimentOrderBy(r.order_by));
  ASSIGN_OR_RETURN(q.offset, DecodePageToken(r.page_token));
  q.view_type = r.view_type;
  q.scope = r.scope;
  ASSIGN_OR_RETURN(Page<Experiment> page, store_.SearchExperiments(q));
  return ToSearchResult(std::move(page));
}

absl::Status TrackingService::RenameExperiment(const std::string& id, const std::string& new_name) {
  RETURN_IF_ERROR(ValidateExperimentId(id));
  RETURN_IF_ERROR(ValidateExperimentName(new_name));
  return store_.RenameExperiment(id, new_name, clock_.NowMillis());
}

absl::Status TrackingService::DeleteExperiment(const std::string& id) {
  RETURN_IF_ERROR(ValidateExperimentId(id));
  return store_.SetExperimentLifecycle(id, LifecycleStage::kDeleted, clock_.NowMillis());
}

absl::Status TrackingService::RestoreExperiment(const std::string& id) {
  RETURN_IF_ERROR(ValidateExperimentId(id));
  return store_.SetExperimentLifecycle(id, LifecycleStage::kActive, clock_.NowMillis());
}

absl::Status TrackingService::SetExperimentTag(const std::string& id, const ExperimentTag& tag) {
  RETURN_IF_ERROR(ValidateExperimentId(id));
  RETURN_IF_ERROR(ValidateTagList({tag}));
  return store_.SetExperimentTag(id, tag);
}

// ---- runs ----

absl::StatusOr<Run> TrackingService::CreateRun(const CreateRunRequest& r) {
  std::string experiment_id = r.experiment_id.empty() ? "0" : r.experiment_id;
  RETURN_IF_ERROR(ValidateExperimentId(experiment_id));
  std::vector<RunTag> tags;
  for (const auto& t : r.tags) {
    RETURN_IF_ERROR(ValidateEntityKey("tag", t.key));
    // The name is kept whole; other tag values are truncated as MLflow does.
    tags.push_back(
        {t.key, t.key == kRunNameTag ? t.value : TruncateUtf8(t.value, kMaxTagValueLength)});
  }
  ASSIGN_OR_RETURN(std::string name, ResolveRunName(r.run_name, tags));
  if (name.empty()) {  // neither given (or an empty tag): MLflow generates one
    name = GenerateRunName(random_);
    std::erase_if(tags, [](const RunTag& t) { return t.key == kRunNameTag; });
    tags.push_back({kRunNameTag, name});
  }
  ASSIGN_OR_RETURN(Experiment exp, store_.GetExperiment(experiment_id));
  RunInfo info;
  info.run_id = NewUuidHex(random_);
  info.run_name = name;
  info.experiment_id = experiment_id;
  info.user_id = r.user_id;
  info.status = RunStatus::kRunning;
  info.start_time = r.start_time.value_or(clock_.NowMillis());
  info.artifact_uri = exp.artifact_location + "/" + info.run_id + "/artifacts";
  RETURN_IF_ERROR(store_.CreateRun(info, tags));
  Run run;
  run.info = info;
  run.data.tags = std::move(tags);
  return run;
}

absl::StatusOr<Run> TrackingService::GetRun(const std::string& run_id) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  return store_.GetRun(run_id);
}

absl::StatusOr<RunInfo> TrackingService::UpdateRun(const UpdateRunRequest& r) {
  RETURN_IF_ERROR(ValidateRunId(r.run_id));
  return store_.UpdateRun(r.run_id, r.status, r.end_time, r.run_name);
}

absl::Status TrackingService::DeleteRun(const std::string& run_id) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  return store_.SetRunLifecycle(run_id, LifecycleStage::kDeleted, clock_.NowMillis());
}

absl::Status TrackingService::RestoreRun(const std::string& run_id) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  return store_.SetRunLifecycle(run_id, LifecycleStage::kActive, clock_.NowMillis());
}

absl::Status TrackingService::LogMetric(const std::string& run_id, const Metric& metric) {
  return LogBatch(run_id, {metric}, {}, {});
}

absl::Status TrackingService::LogParam(const std::string& run_id, const Param& param) {
  return LogBatch(run_id, {}, {param}, {});
}

absl::Status TrackingService::SetTag(const std::string& run_id, const RunTag& tag) {
  return LogBatch(run_id, {}, {}, {tag});
}

absl::Status TrackingService::DeleteTag(const std::string& run_id, const std::string& key) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  return store_.DeleteRunTag(run_id, key);
}

static absl::Status CheckBatchLimits(size_t metrics, size_t params, size_t tags) {
  auto too_many = [](size_t n, size_t limit, const char* what) {
    return absl::InvalidArgumentError("A batch logging request can contain at most " +
                                      std::to_string(limit) + " " + what + ". Got " +
                                      std::to_string(n) + " " + what + ". Please split up " + what +
                                      " across multiple requests and try again.");
  };
  if (metrics > kMaxMetricsPerBatch) return too_many(metrics, kMaxMetricsPerBatch, "metrics");
  if (params > kMaxParamsPerBatch) return too_many(params, kMaxParamsPerBatch, "params");
  if (tags > kMaxTagsPerBatch) return too_many(tags, kMaxTagsPerBatch, "tags");
  size_t total = metrics + params + tags;
  if (total > kMaxEntitiesPerBatch) {
    return absl::InvalidArgumentError(
        "A batch logging request can contain at most " + std::to_string(kMaxEntitiesPerBatch) +
        " total metrics, params, and tags. Got " + std::to_string(total) +
        " entities. Please split up entities across multiple requests and try again.");
  }
  return absl::OkStatus();
}

absl::Status TrackingService::LogBatch(const std::string& run_id, std::vector<Metric> metrics,
                                       std::vector<Param> params, std::vector<RunTag> tags) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  RETURN_IF_ERROR(CheckBatchLimits(metrics.size(), params.size(), tags.size()));
  for (const auto& m : metrics) {
    RETURN_IF_ERROR(ValidateEntityKey("metric", m.key));
    if (m.timestamp < 0) {
      return absl::InvalidArgumentError("Got invalid timestamp " + std::to_string(m.timestamp) +
                                        " for metric '" + m.key +
                                        "'. Timestamp must be a non-negative integer.");
    }
  }
  std::set<std::string> seen;
  std::vector<std::string> dups;
  for (auto& p : params) {
    RETURN_IF_ERROR(ValidateEntityKey("param", p.key));
    p.value = TruncateUtf8(p.value, kMaxParamValueLength);
    if (!seen.insert(p.key).second) dups.push_back(p.key);
  }
  if (!dups.empty()) {
    std::string list;
    for (const auto& d : dups) list += (list.empty() ? "'" : ", '") + d + "'";
    return absl::InvalidArgumentError("Duplicate parameter keys have been submitted: [" + list +
                                      "]. Please ensure the request contains only one param "
                                      "value per param key.");
  }
  for (auto& t : tags) {
    RETURN_IF_ERROR(ValidateEntityKey("tag", t.key));
    t.value = TruncateUtf8(t.value, kMaxTagValueLength);
  }
  return store_.LogBatch(run_id, metrics, params, tags);
}

absl::Status TrackingService::LogInputs(const std::string& run_id,
                                        const std::vector<DatasetInput>& inputs) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  for (const auto& in : inputs) {
    const Dataset& d = in.dataset;
    RETURN_IF_ERROR(ValidateLength("Dataset name", d.name, kMaxDatasetNameLength));
    RETURN_IF_ERROR(ValidateLength("Dataset digest", d.digest, kMaxDatasetDigestLength));
    RETURN_IF_ERROR(ValidateLength("Dataset source", d.source, kMaxDatasetSourceLength));
    if (d.schema) {
      RETURN_IF_ERROR(ValidateLength("Dataset schema", *d.schema, kMaxDatasetSchemaLength));
    }
    if (d.profile) {
      RETURN_IF_ERROR(ValidateLength("Dataset profile", *d.profile, kMaxDatasetProfileLength));
    }
    for (const auto& t : in.tags) {
      RETURN_IF_ERROR(ValidateLength("Input tag key", t.key, kMaxInputTagKeyLength));
      RETURN_IF_ERROR(ValidateLength("Input tag value", t.value, kMaxInputTagValueLength));
    }
  }
  return store_.LogInputs(run_id, inputs);
}

absl::Status TrackingService::AppendLoggedModel(const std::string& run_id,
                                                const std::string& model_json) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  auto model = ParseJson(model_json);
  if (!model.ok() || !model->is_object()) {
    return absl::InvalidArgumentError(
        "Invalid value for parameter 'model_json': not a JSON object");
  }
  ASSIGN_OR_RETURN(Run run, store_.GetRun(run_id));
  JsonValue history = JsonValue::Array();
  for (const auto& tag : run.data.tags) {
    if (tag.key != kLogModelHistoryTag) continue;
    auto parsed = ParseJson(tag.value);
    if (parsed.ok() && parsed->is_array()) history = std::move(*parsed);
  }
  history.mutable_items().push_back(std::move(*model));
  return store_.LogBatch(run_id, {}, {}, {{kLogModelHistoryTag, ToJsonString(history)}});
}

absl::StatusOr<SearchResult<Run>> TrackingService::SearchRuns(const SearchRunsRequest& r) {
  RunSearchQuery q;
  ASSIGN_OR_RETURN(q.max_results, CheckMaxResults(r.max_results, 1000, kMaxRunsSearchResults));
  ASSIGN_OR_RETURN(q.filter, ParseRunFilter(r.filter));
  ASSIGN_OR_RETURN(q.order_by, ParseRunOrderBy(r.order_by));
  ASSIGN_OR_RETURN(q.offset, DecodePageToken(r.page_token));
  for (const auto& id : r.experiment_ids) RETURN_IF_ERROR(ValidateExperimentId(id));
  q.experiment_ids = r.experiment_ids;
  q.view_type = r.view_type;
  if (!r.parent_run_ids.empty()) RETURN_IF_ERROR(AddParentFilter(r.parent_run_ids, q));
  if (q.experiment_ids.empty()) return SearchResult<Run>{};
  ASSIGN_OR_RETURN(Page<Run> page, store_.SearchRuns(q));
  return ToSearchResult(std::move(page));
}

absl::StatusOr<SearchResult<Metric>> TrackingService::GetMetricHistory(
    const std::string& run_id, const std::string& key, std::optional<int64_t> max_results,
    const std::string& page_token) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  ASSIGN_OR_RETURN(int64_t offset, DecodePageToken(page_token));
  if (max_results && *max_results < 1) {
    return absl::InvalidArgumentError(
        "Invalid value for request parameter max_results. It "
        "must be a positive integer, but got value " +
        std::to_string(*max_results));
  }
  RETURN_IF_ERROR(store_.GetRun(run_id).status());
  ASSIGN_OR_RETURN(Page<Metric> page,
                   store_.GetMetricHistory(run_id, key, max_results.value_or(0), offset));
  return ToSearchResult(std::move(page));
}

absl::StatusOr<std::vector<Metric>> TrackingService::GetMetricsAfterStep(const std::string& run_id,
                                                                         const std::string& key,
                                                                         int64_t after_step) {
  RETURN_IF_ERROR(ValidateRunId(run_id));
  RETURN_IF_ERROR(store_.GetRun(run_id).status());
  return store_.GetMetricsAfterStep(run_id, key, after_step, -1);
}

}  // namespace ferry::tracking
