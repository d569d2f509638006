// SqliteStore registry readers: registered models and model versions with their tags,
// aliases and latest versions, loaded with one query per table for a whole list. They take
// stored keys (core/workspace.h's WorkspaceKey) and return plain names, so a key never
// leaves this layer.

#include <map>
#include <unordered_map>

#include "common/json_writer.h"
#include "core/workspace.h"
#include "store/sqlite/registry/sqlite_registry_internal.h"

namespace ferry::store::sqlite {
namespace {

constexpr char kVersionColumns[] =
    "name, version, creation_time, last_updated_time, description, user_id, current_stage, "
    "source, run_id, run_link, status, status_message";

// The JSON array [[name, version], ...] for json_each() lookups.
std::string KeysJson(const std::vector<VersionKey>& keys) {
  std::string out = "[";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i) out += ',';
    out += '[';
    AppendJsonString(&out, keys[i].first);
    out += "," + std::to_string(keys[i].second) + "]";
  }
  return out + "]";
}

ModelVersion VersionFromRow(const Statement& st) {
  ModelVersion v;
  v.name = st.Text(0);
  v.version = st.Int(1);
  v.creation_timestamp = st.Int(2);
  v.last_updated_timestamp = st.Int(3);
  v.description = st.Text(4);
  v.user_id = st.Text(5);
  v.current_stage = ParseModelStage(st.Text(6)).value_or(ModelStage::kNone);
  v.source = st.Text(7);
  v.run_id = st.Text(8);
  v.run_link = st.Text(9);
  v.status = ParseModelVersionStatus(st.Text(10)).value_or(ModelVersionStatus::kReady);
  v.status_message = st.Text(11);
  return v;
}

// Runs `sql` (one bound argument: `keys_json`) and hands each row to `fn`.
template <typename Fn>
absl::Status ForEachRow(Connection& conn, const std::string& sql, const std::string& arg, Fn fn) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare(sql));
  st.BindText(arg);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st.Step());
    if (!row) return absl::OkStatus();
    fn(st);
  }
}

constexpr char kKeyFilter[] =
    " WHERE (name, version) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') "
    "FROM json_each(?))";

// The stored key of `v` back to its workspace and plain name.
void Unkey(ModelVersion& v) {
  WorkspaceName key = SplitWorkspaceKey(v.name);
  v.name = std::move(key.name);
  v.workspace = std::move(key.workspace);
}

}  // namespace

absl::Status RegisteredModelNotFound(const std::string& key) {
  return absl::NotFoundError("Registered Model with name=" + SplitWorkspaceKey(key).name +
                             " not found");
}

absl::Status ModelVersionNotFound(const std::string& key, int64_t version) {
  return absl::NotFoundError("Model Version (name=" + SplitWorkspaceKey(key).name +
                             ", version=" + std::to_string(version) + ") not found");
}

absl::Status CheckRegisteredModelExists(Connection& conn, const std::string& name) {
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("SELECT 1 FROM registered_models WHERE name = ?"));
  st.BindText(name);
  ASSIGN_OR_RETURN(bool row, st.Step());
  return row ? absl::OkStatus() : RegisteredModelNotFound(name);
}

absl::StatusOr<std::vector<ModelVersion>> ReadModelVersions(Connection& conn,
                                                            const std::vector<VersionKey>& keys) {
  std::string keys_json = KeysJson(keys);
  std::map<VersionKey, ModelVersion> found;
  RETURN_IF_ERROR(ForEachRow(
      conn, std::string("SELECT ") + kVersionColumns + " FROM model_versions" + kKeyFilter,
      keys_json, [&](const Statement& st) {
        ModelVersion v = VersionFromRow(st);
        found.emplace(VersionKey{v.name, v.version}, std::move(v));
      }));
  RETURN_IF_ERROR(
      ForEachRow(conn,
                 std::string("SELECT name, version, key, value FROM model_version_tags") +
                     kKeyFilter + " ORDER BY name, version, key",
                 keys_json, [&](const Statement& st) {
                   auto it = found.find({st.Text(0), st.Int(1)});
                   if (it != found.end()) it->second.tags.push_back({st.Text(2), st.Text(3)});
                 }));
  RETURN_IF_ERROR(
      ForEachRow(conn,
                 std::string("SELECT name, version, alias FROM registered_model_aliases") +
                     kKeyFilter + " ORDER BY name, version, alias",
                 keys_json, [&](const Statement& st) {
                   auto it = found.find({st.Text(0), st.Int(1)});
                   if (it != found.end()) it->second.aliases.push_back(st.Text(2));
                 }));
  std::vector<ModelVersion> out;
  out.reserve(found.size());
  for (const VersionKey& key : keys) {
    auto it = found.find(key);
    if (it == found.end()) continue;
    Unkey(it->second);
    out.push_back(std::move(it->second));
  }
  return out;
}

absl::StatusOr<ModelVersion> ReadModelVersion(Connection& conn, const std::string& name,
                                              int64_t version) {
  ASSIGN_OR_RETURN(std::vector<ModelVersion> found, ReadModelVersions(conn, {{name, version}}));
  if (found.empty()) return ModelVersionNotFound(name, version);
  return std::move(found.front());
}

absl::StatusOr<std::vector<RegisteredModel>> ReadRegisteredModels(
    Connection& conn, const std::vector<std::string>& names) {
  std::string names_json = JsonStringArray(names);
  constexpr char kIn[] = " WHERE name IN (SELECT value FROM json_each(?))";
  std::unordered_map<std::string, RegisteredModel> found;
  RETURN_IF_ERROR(ForEachRow(conn,
                             std::string("SELECT name, creation_time, last_updated_time, "
                                         "description, user_id FROM registered_models") +
                                 kIn,
                             names_json, [&](const Statement& st) {
                               RegisteredModel m;
                               m.name = st.Text(0);
                               m.creation_timestamp = st.Int(1);
                               m.last_updated_timestamp = st.Int(2);
                               m.description = st.Text(3);
                               m.user_id = st.Text(4);
                               found.emplace(m.name, std::move(m));
                             }));
  auto with = [&](const std::string& name) -> RegisteredModel* {
    auto it = found.find(name);
    return it == found.end() ? nullptr : &it->second;
  };
  RETURN_IF_ERROR(ForEachRow(conn,
                             std::string("SELECT name, key, value FROM registered_model_tags") +
                                 kIn + " ORDER BY name, key",
                             names_json, [&](const Statement& st) {
                               if (RegisteredModel* m = with(st.Text(0)))
                                 m->tags.push_back({st.Text(1), st.Text(2)});
                             }));
  RETURN_IF_ERROR(
      ForEachRow(conn,
                 std::string("SELECT name, alias, version FROM registered_model_aliases") + kIn +
                     " ORDER BY name, alias",
                 names_json, [&](const Statement& st) {
                   if (RegisteredModel* m = with(st.Text(0)))
                     m->aliases.push_back({st.Text(1), st.Int(2)});
                 }));
  // The latest version in each stage, in stage order None, Staging, Production, Archived.
  std::vector<VersionKey> latest;
  RETURN_IF_ERROR(ForEachRow(
      conn,
      std::string("SELECT name, MAX(version) FROM model_versions") + kIn +
          " GROUP BY name, current_stage ORDER BY name, CASE current_stage WHEN 'None' THEN 0 "
          "WHEN 'Staging' THEN 1 WHEN 'Production' THEN 2 ELSE 3 END",
      names_json, [&](const Statement& st) {
        latest.push_back({st.Text(0), st.Int(1)});
      }));
  ASSIGN_OR_RETURN(std::vector<ModelVersion> versions, ReadModelVersions(conn, latest));
  for (ModelVersion& v : versions) {
    if (RegisteredModel* m = with(WorkspaceKey(v.workspace, v.name))) {
      m->latest_versions.push_back(std::move(v));
    }
  }
  std::vector<RegisteredModel> out;
  out.reserve(found.size());
  for (const std::string& name : names) {
    auto it = found.find(name);
    if (it == found.end()) continue;
    it->second.name = SplitWorkspaceKey(it->second.name).name;
    out.push_back(std::move(it->second));
  }
  return out;
}

absl::StatusOr<RegisteredModel> ReadRegisteredModel(Connection& conn, const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<RegisteredModel> found, ReadRegisteredModels(conn, {name}));
  if (found.empty()) return RegisteredModelNotFound(name);
  return std::move(found.front());
}

absl::Status TouchRegistry(Connection& conn, const std::string& name, int64_t version,
                           int64_t now_ms) {
  ASSIGN_OR_RETURN(Statement model, conn.Prepare("UPDATE registered_models SET "
                                                 "last_updated_time = ? WHERE name = ?"));
  RETURN_IF_ERROR(model.BindInt(now_ms).BindText(name).Run());
  if (version <= 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(Statement st, conn.Prepare("UPDATE model_versions SET last_updated_time = ? "
                                              "WHERE name = ? AND version = ?"));
  return st.BindInt(now_ms).BindText(name).BindInt(version).Run();
}

}  // namespace ferry::store::sqlite
