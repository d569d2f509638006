#pragma once
// The step cache: a step whose key was seen before is not run; its outputs are restored from
// the entry the earlier run stored. Entries live in <state dir>/cache/<key>/: the outputs
// under outputs/ and entry.json (the run and step that produced them, their digests).

#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace ferry::pipeline {

// What goes into a step's cache key.
struct CacheKeyParts {
  std::string kind;
  std::vector<std::string> argv;              // with parameters resolved, paths not
  std::map<std::string, std::string> params;  // resolved
  std::map<std::string, std::string> input_digests;
  std::map<std::string, std::string> outputs;  // declared names -> relative paths
  // Built-in kinds: Ferry's version. Command steps: their env and cache_key instead.
  std::map<std::string, std::string> extras;
};

// "sha256:<hex>" over a canonical, length-prefixed encoding of `parts`: equal parts give equal
// keys on every machine, and no two different parts encode alike.
std::string CacheKey(const CacheKeyParts& parts);

struct CacheEntry {
  std::string key;
  std::string run_id;  // the run that produced it
  std::string step;
  std::map<std::string, std::string> output_digests;
};

class StepCache {
 public:
  explicit StepCache(std::string state_dir);

  // Copies the outputs (name -> absolute path) of a succeeded step into the entry for `key`.
  // Storing a key that exists keeps the first entry.
  absl::Status Store(const CacheEntry& entry, const std::map<std::string, std::string>& outputs);
  // kNotFound when there is no complete entry for `key`. On a hit, copies each output into
  // `work_dir` at its path and returns the entry.
  absl::StatusOr<CacheEntry> Restore(const std::string& key,
                                     const std::map<std::string, std::string>& outputs,
                                     const std::string& work_dir) const;
  // Removes every entry no key in `referenced` names (the keys recorded runs used); returns
  // the keys removed.
  absl::StatusOr<std::vector<std::string>> Gc(const std::vector<std::string>& referenced);

 private:
  std::string EntryDir(const std::string& key) const;
  std::string dir_;
};

}  // namespace ferry::pipeline
