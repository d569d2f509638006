#include "pipeline/step_cache.h"

#include <set>

#include "common/fs.h"
#include "common/json.h"
#include "common/json_writer.h"
#include "common/sha256.h"
#include "pipeline/tree_digest.h"

namespace ferry::pipeline {
namespace {

void Field(Sha256& h, std::string_view tag, std::string_view value) {
  const std::string head = std::string(tag) + ":" + std::to_string(value.size()) + ":";
  h.Update(head);
  h.Update(value);
}

void Map(Sha256& h, std::string_view tag, const std::map<std::string, std::string>& m) {
  Field(h, tag, std::to_string(m.size()));
  for (const auto& [k, v] : m) {
    Field(h, "k", k);
    Field(h, "v", v);
  }
}

std::string Hex(const std::string& key) {
  return key.rfind("sha256:", 0) == 0 ? key.substr(7) : key;
}

bool ValidHex(const std::string& hex) {
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string EntryJson(const CacheEntry& entry) {
  std::string out;
  JsonWriter w(&out);
  w.BeginObject().Field("key", entry.key).Field("run_id", entry.run_id).Field("step", entry.step);
  w.Key("outputs").BeginObject();
  for (const auto& [name, digest] : entry.output_digests) w.Field(name, digest);
  w.EndObject().EndObject();
  return out + "\n";
}

absl::StatusOr<CacheEntry> EntryFromJson(const std::string& text) {
  ASSIGN_OR_RETURN(JsonValue v, ParseJson(text));
  CacheEntry e;
  auto str = [&](const char* k) {
    const JsonValue* f = v.Find(k);
    return f != nullptr && f->is_string() ? f->as_string() : std::string();
  };
  e.key = str("key");
  e.run_id = str("run_id");
  e.step = str("step");
  if (const JsonValue* outs = v.Find("outputs"); outs != nullptr && outs->is_object()) {
    for (const auto& m : outs->members()) {
      if (m.second.is_string()) e.output_digests[m.first] = m.second.as_string();
    }
  }
  return e;
}

}  // namespace

std::string CacheKey(const CacheKeyParts& parts) {
  Sha256 h;
  Field(h, "ferry-step-cache", "v1");
  Field(h, "kind", parts.kind);
  Field(h, "argv", std::to_string(parts.argv.size()));
  for (const std::string& a : parts.argv) Field(h, "a", a);
  Map(h, "params", parts.params);
  Map(h, "inputs", parts.input_digests);
  Map(h, "outputs", parts.outputs);
  Map(h, "extras", parts.extras);
  return "sha256:" + h.FinishHex();
}

StepCache::StepCache(std::string state_dir)
    : dir_(JoinPath(
          !state_dir.empty() && state_dir[0] == '/' ? state_dir : JoinPath(CurrentDir(), state_dir),
          "cache")) {}

std::string StepCache::EntryDir(const std::string& key) const { return JoinPath(dir_, Hex(key)); }

absl::Status StepCache::Store(const CacheEntry& entry,
                              const std::map<std::string, std::string>& outputs) {
  if (!ValidHex(Hex(entry.key))) return absl::InvalidArgumentError("bad cache key " + entry.key);
  const std::string target = EntryDir(entry.key);
  if (PathExists(JoinPath(target, "entry.json"))) return absl::OkStatus();
  RETURN_IF_ERROR(MakeDirs(dir_));
  ASSIGN_OR_RETURN(TempDir staging, TempDir::CreateBeside(target, "staging"));
  for (const auto& [name, path] : outputs) {
    RETURN_IF_ERROR(CopyTree(path, JoinPath(staging.path(), "outputs/" + name)));
  }
  RETURN_IF_ERROR(WriteFileAtomic(JoinPath(staging.path(), "entry.json"), EntryJson(entry)));
  if (absl::Status s = staging.MoveTo(target); !s.ok()) {
    // Another run stored the same key meanwhile: the first entry stays.
    if (PathExists(JoinPath(target, "entry.json"))) return absl::OkStatus();
    return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<CacheEntry> StepCache::Restore(const std::string& key,
                                              const std::map<std::string, std::string>& outputs,
                                              const std::string& work_dir) const {
  const std::string dir = EntryDir(key);
  absl::StatusOr<std::string> text = ReadFile(JoinPath(dir, "entry.json"));
  if (!text.ok()) return absl::NotFoundError("no cache entry " + key);
  ASSIGN_OR_RETURN(CacheEntry entry, EntryFromJson(*text));
  for (const auto& [name, rel] : outputs) {
    const std::string src = JoinPath(dir, "outputs/" + name);
    if (!entry.output_digests.count(name) || !PathExists(src)) {
      return absl::NotFoundError("cache entry " + key + " lacks output " + name);
    }
  }
  for (const auto& [name, rel] : outputs) {
    const std::string dst = JoinPath(work_dir, rel);
    RETURN_IF_ERROR(RemoveTree(dst));
    RETURN_IF_ERROR(CopyTree(JoinPath(dir, "outputs/" + name), dst));
  }
  return entry;
}

absl::StatusOr<std::vector<std::string>> StepCache::Gc(const std::vector<std::string>& referenced) {
  std::set<std::string> keep;
  for (const std::string& key : referenced) keep.insert(Hex(key));
  std::vector<std::string> removed;
  absl::StatusOr<std::vector<std::string>> names = ListDir(dir_);
  if (!names.ok()) {
    if (absl::IsNotFound(names.status())) return removed;
    return names.status();
  }
  for (const std::string& name : *names) {
    if (keep.count(name)) continue;
    // Complete entries and staging leftovers of interrupted stores alike.
    RETURN_IF_ERROR(RemoveTree(JoinPath(dir_, name)));
    if (ValidHex(name)) removed.push_back("sha256:" + name);
  }
  return removed;
}

}  // namespace ferry::pipeline
