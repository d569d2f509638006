// `ferry pipeline gc`.

#include <cstdio>

#include "cli/pipeline/pipeline_commands.h"
#include "cli/pipeline/pipeline_flags.h"
#include "pipeline/step_cache.h"

namespace ferry::cli {

int PipelineGcCommand(const std::vector<std::string>& args) {
  constexpr char kCommand[] = "ferry pipeline gc";
  FlagSet flags("ferry pipeline gc [flags]",
                "Removes the step-cache entries that no recorded run used (produced or reused),\n"
                "and leftovers of interrupted cache writes. Entries a run record names are\n"
                "kept, so lineage never points at a removed entry: delete a run's directory\n"
                "under runs/ first to let its entries go. Do not run it during a run.");
  DeclarePipelineLocationFlags(flags);
  if (auto exit = flags.ParseCommand(kCommand, args, 0)) return *exit;
  const std::string state_dir = PipelineStateDir(flags);
  pipeline::RunStore runs(state_dir);
  std::vector<std::string> referenced;
  for (const pipeline::PipelineRun& run : runs.List()) {
    for (const pipeline::StepRun& s : run.steps) {
      if (!s.cache_key.empty()) referenced.push_back(s.cache_key);
    }
  }
  pipeline::StepCache cache(state_dir);
  auto removed = cache.Gc(referenced);
  if (!removed.ok()) return Fail(kCommand, removed.status());
  for (const std::string& key : *removed) std::printf("removed %s\n", key.c_str());
  std::printf("%zu cache entries removed\n", removed->size());
  return kExitOk;
}

}  // namespace ferry::cli
