#pragma once
// SLSA provenance v1 for a model package, as an in-toto Statement v1 wrapped in a signed DSSE
// envelope and attached under cosign's attestation tag CosignTag(digest, ".att"):
//
//   {"_type":"https://in-toto.io/Statement/v1",
//    "subject":[{"name":MODEL,"digest":{"sha256":HEX of the package manifest}}],
//    "predicateType":"https://slsa.dev/provenance/v1",
//    "predicate":{"buildDefinition":{"buildType":kFerryBuildType,
//                   "externalParameters":{"name","version","hyperparameters":{...}},
//                   "internalParameters":{...},
//                   "resolvedDependencies":[{"uri","digest":{"sha256"|"gitCommit"}}]},
//                 "runDetails":{"builder":{"id"},"metadata":{"invocationId":RUN_ID,
//                   "startedOn","finishedOn"}}}}

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "package/build/package_config.h"
#include "package/layout/oci.h"
#include "package/layout/oci_layout.h"
#include "package/trust/keys.h"

namespace ferry::package {

inline constexpr char kInTotoStatementV1[] = "https://in-toto.io/Statement/v1";
inline constexpr char kSlsaProvenanceV1[] = "https://slsa.dev/provenance/v1";
inline constexpr char kFerryBuildType[] = "https://ferry.dev/package/build/v1";
inline constexpr char kFerryBuilderId[] = "https://ferry.dev/builder/ferry-cli";

// What the provenance says about how the package was made (from the package config).
struct ProvenanceSource {
  std::string name;
  std::string version;
  std::string run_id;       // invocationId; may be empty
  std::string code_commit;  // git commit; may be empty
  std::string code_uri;     // e.g. "git+https://host/repo"; may be empty
  std::map<std::string, std::string> hyperparameters;
  struct Dataset {
    std::string uri;     // name or path of the input
    std::string digest;  // "sha256:<hex>"
  };
  std::vector<Dataset> datasets;
  std::map<std::string, std::string> internal;  // e.g. ferry version
  std::string started_on;                       // RFC 3339; may be empty
  std::string finished_on;                      // RFC 3339; may be empty
  std::string builder_id = kFerryBuilderId;
};

// The provenance a package config records: hyperparameters and data inputs of its trainer,
// source run, code commit (with descriptor.sourceURL as the repository), Ferry version and
// predictor as internal parameters, descriptor.createdAt as finishedOn.
ProvenanceSource ProvenanceFromConfig(const PackageConfig& config);

// The Statement JSON for the package manifest `manifest_digest` named `subject_name`.
std::string BuildStatement(const ProvenanceSource& src, std::string_view subject_name,
                           std::string_view manifest_digest);

struct StatementSubject {
  std::string name;
  std::string sha256;  // hex
};
struct ParsedStatement {
  std::string predicate_type;
  std::vector<StatementSubject> subjects;
  std::string invocation_id;
};
// kInvalidArgument naming the field for anything that is not an in-toto Statement v1.
absl::StatusOr<ParsedStatement> ParseStatement(std::string_view json);

// Signs the statement into a DSSE envelope and stores the .att manifest for `target` in the
// layout (layer annotation predicateType), replacing an earlier attestation.
absl::StatusOr<Descriptor> AttestManifest(OciLayout& layout, const Descriptor& target,
                                          std::string_view statement, const PrivateKey& key);

}  // namespace ferry::package
