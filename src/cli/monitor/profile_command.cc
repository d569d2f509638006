// `ferry monitor profile DATA -o profile.bin [--kll-k K] [--seed S]`.
#include <charconv>
#include <chrono>
#include <cstdio>

#include "cli/flags.h"
#include "cli/monitor/profile_commands.h"
#include "common/fs.h"
#include "core/frame_reader.h"
#include "monitoring/profile/profile_codec.h"

namespace ferry::cli {
namespace {

constexpr char kCommand[] = "ferry monitor profile";

absl::StatusOr<uint64_t> ParseUint(const std::string& flag, const std::string& text, uint64_t min,
                                   uint64_t max) {
  uint64_t v = 0;
  const auto r = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || r.ec != std::errc() || r.ptr != text.data() + text.size() || v < min ||
      v > max) {
    return absl::InvalidArgumentError("--" + flag + ": expected an integer in [" +
                                      std::to_string(min) + ", " + std::to_string(max) +
                                      "], got '" + text + "'");
  }
  return v;
}

absl::StatusOr<monitoring::ProfileOptions> Options(const FlagSet& flags) {
  monitoring::ProfileOptions o;
  ASSIGN_OR_RETURN(uint64_t k, ParseUint("kll-k", flags.Get("kll-k"), 8, 65535));
  ASSIGN_OR_RETURN(o.seed, ParseUint("seed", flags.Get("seed"), 0, ~uint64_t{0}));
  o.kll_k = static_cast<uint16_t>(k);
  return o;
}

}  // namespace

absl::StatusOr<monitoring::DatasetProfile> ProfileDataFile(
    const std::string& path, const monitoring::ProfileOptions& options) {
  ASSIGN_OR_RETURN(Frame frame, ReadFrame(path));
  return monitoring::DatasetProfile::FromFrame(frame, options);
}

int MonitorProfileCommand(const std::vector<std::string>& args) {
  FlagSet flags("ferry monitor profile DATA -o PROFILE [flags]",
                "Profiles DATA (CSV, TSV or JSON lines) into a mergeable binary profile: per\n"
                "column counts, missing values, types, min/max/mean/variance, KLL quantiles,\n"
                "a HyperLogLog distinct count and frequent items. Read it with\n"
                "'ferry monitor show'. The same data, flags and seed give the same bytes.");
  flags.String("output", "", "the profile file to write (required)");
  flags.Alias("o", "output");
  flags.String("kll-k", "1024", "KLL accuracy parameter k (rank error 2.296/k^0.9723)");
  flags.String("seed", "0", "seed of the KLL compaction coins");
  if (auto exit = flags.ParseCommand(kCommand, args, 1)) return *exit;
  if (flags.Get("output").empty()) return flags.UsageError(kCommand, "-o PROFILE is required");
  auto options = Options(flags);
  if (!options.ok())
    return flags.UsageError(kCommand, std::string(StatusMessage(options.status())));
  const auto start = std::chrono::steady_clock::now();
  auto profile = ProfileDataFile(flags.positional()[0], *options);
  if (!profile.ok()) return Fail(kCommand, profile.status());
  const std::string bytes = monitoring::EncodeProfile(*profile);
  if (absl::Status s = WriteFileAtomic(flags.Get("output"), bytes); !s.ok()) {
    return Fail(kCommand, s);
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "%s: %llu rows x %zu columns -> %s (%zu bytes) in %.2f s\n", kCommand,
               static_cast<unsigned long long>(profile->rows()), profile->columns().size(),
               flags.Get("output").c_str(), bytes.size(), seconds);
  return kExitOk;
}

}  // namespace ferry::cli
