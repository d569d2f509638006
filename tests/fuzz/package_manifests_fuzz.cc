// libFuzzer target for the package metadata parsers that read untrusted bytes from imported
// archives and pulled registries (src/package): OCI image manifests and indexes, the
// ModelPack config, trust policies, DSSE envelopes, in-toto statements, simple-signing
// payloads, registry references and PEM public keys.
// Input: one selector byte, then the document. Properties checked:
//   * a parse error is kInvalidArgument (a policy naming an unreadable key may be kNotFound);
//   * what parses serializes again, and the serialized form parses to the same bytes
//     (manifest, index, config);
//   * a parsed DSSE envelope has at least one signature.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "package/build/package_config.h"
#include "package/distribution/distribution_reference.h"
#include "package/layout/oci.h"
#include "package/trust/dsse.h"
#include "package/trust/keys.h"
#include "package/trust/provenance.h"
#include "package/trust/signature.h"
#include "package/trust/trust_policy.h"

namespace {

using namespace ferry::package;

// Errors of a pure parser are always kInvalidArgument.
template <typename T>
bool Parsed(const absl::StatusOr<T>& r) {
  if (!r.ok()) Check(r.status().code() == absl::StatusCode::kInvalidArgument);
  return r.ok();
}

void FuzzManifest(std::string_view doc) {
  absl::StatusOr<Manifest> m = ParseManifest(doc);
  if (!Parsed(m)) return;
  Manifest copy = *m;
  SerializeManifest(copy);
  absl::StatusOr<Manifest> again = ParseManifest(copy.raw);
  Check(again.ok());
  Manifest second = *again;
  SerializeManifest(second);
  Check(second.raw == copy.raw);
}

void FuzzIndex(std::string_view doc) {
  absl::StatusOr<ImageIndex> index = ParseIndex(doc);
  if (!Parsed(index)) return;
  std::string text = SerializeIndex(*index);
  absl::StatusOr<ImageIndex> again = ParseIndex(text);
  Check(again.ok());
  Check(SerializeIndex(*again) == text);
}

void FuzzConfig(std::string_view doc) {
  absl::StatusOr<PackageConfig> c = ParseConfig(doc);
  if (!Parsed(c)) return;
  std::string text = SerializeConfig(*c);
  absl::StatusOr<PackageConfig> again = ParseConfig(text);
  Check(again.ok());
  Check(SerializeConfig(*again) == text);
}

void FuzzPolicy(std::string_view doc) {
  // Documents that could name a key file (a "path" member, or any \u escape that might spell
  // one) are left out so that no file (say /dev/zero) is ever read.
  if (doc.find("path") != std::string_view::npos || doc.find("\\u") != std::string_view::npos)
    return;
  absl::StatusOr<TrustPolicy> p = TrustPolicy::Parse(doc, "/nonexistent-ferry-fuzz", "policy");
  if (p.ok()) {
    (void)p->RuleFor("iris");
    (void)p->RuleFor("");
    return;
  }
  Check(p.status().code() == absl::StatusCode::kInvalidArgument ||
        p.status().code() == absl::StatusCode::kNotFound);
}

void FuzzEnvelope(std::string_view doc) {
  absl::StatusOr<DsseEnvelope> e = ParseEnvelope(doc);
  if (!Parsed(e)) return;
  Check(!e->signatures.empty());
  if (e->payload_type == "application/vnd.in-toto+json") (void)ParseStatement(e->payload);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string_view doc(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 9) {
    case 0:
      FuzzManifest(doc);
      break;
    case 1:
      FuzzIndex(doc);
      break;
    case 2:
      FuzzConfig(doc);
      break;
    case 3:
      FuzzPolicy(doc);
      break;
    case 4:
      FuzzEnvelope(doc);
      break;
    case 5:
      (void)Parsed(ParseStatement(doc));
      break;
    case 6:
      (void)Parsed(ParseSimpleSigning(doc));
      break;
    case 7:
      (void)Parsed(ParseDistributionReference(doc));
      break;
    case 8:
      (void)PublicKey::FromPem(doc, "key");
      break;
  }
  return 0;
}
