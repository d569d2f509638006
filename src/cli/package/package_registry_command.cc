// `ferry package push DIR REF` and `ferry package pull REF -o DIR`: a package, with its
// signature and provenance, to and from any OCI registry speaking the distribution API.

#include <cstdio>
#include <cstdlib>

#include "cli/flags.h"
#include "cli/package/package_trust_command.h"
#include "cli/progress.h"
#include "common/strings.h"
#include "package/build/contents.h"
#include "package/distribution/distribution_reference.h"
#include "package/distribution/oci_client.h"
#include "package/distribution/transfer.h"
#include "package/layout/oci_layout.h"

namespace ferry::cli {
namespace {

int ParseFlags(FlagSet& flags, const std::string& cmd, const std::vector<std::string>& args,
               size_t want) {
  auto exit = flags.ParseCommand(cmd, ExpandShortOutput(args), static_cast<int>(want));
  return exit ? *exit : -1;
}

// Shows blobs of 1 MiB or more as they move (the CLI's one progress printer).
ProgressFn BlobProgress(bool quiet) {
  if (quiet) return nullptr;
  ProgressFn print = ProgressPrinter(StderrStyle(1 << 20));
  return [print](const Progress& p) {
    Progress shown = p;
    shown.label = p.label.substr(0, 19);  // "sha256:" and 12 hex digits
    print(shown);
  };
}

void DeclareRegistryFlags(FlagSet& flags) {
  const char* env_ca = std::getenv("SSL_CERT_FILE");
  flags.String("ca-cert", env_ca != nullptr ? env_ca : "",
               "PEM certificates to trust for an https registry ($SSL_CERT_FILE when set, else "
               "the system store)");
}

// A client for `ref` with --ca-cert and the registry's credentials (FERRY_REGISTRY_USERNAME/
// PASSWORD or docker's config.json).
absl::StatusOr<package::OciDistributionClient> RegistryClient(
    const package::DistributionReference& ref, const FlagSet& flags) {
  package::RegistryOptions options;
  options.ca_file = flags.Get("ca-cert");
  ASSIGN_OR_RETURN(options.credentials, package::FindRegistryCredentials(ref.registry));
  return package::OciDistributionClient::Create(ref, std::move(options));
}

void PrintResult(const char* verb, const package::TransferResult& r) {
  std::printf(
      "%s %s: %d blob(s) %s (%lld bytes), %d already there; signature: %s, "
      "provenance: %s\n",
      verb, r.manifest_digest.c_str(), r.blobs_sent, verb, static_cast<long long>(r.bytes_sent),
      r.blobs_present, r.signature ? "yes" : "none", r.attestation ? "yes" : "none");
}

}  // namespace

int PackagePushCommand(const std::vector<std::string>& args) {
  const std::string cmd = "ferry package push";
  FlagSet flags("ferry package push DIR HOST:PORT/REPO[:TAG] [flags]",
                "Pushes the package in the OCI layout DIR to a registry (OCI distribution API,\n"
                "http or https): blobs the repository lacks (POST + PUT, chunked PATCH for\n"
                "big ones), the manifest under TAG (default: the package version), checking\n"
                "the registry's digest, then its signature (.sig) and provenance (.att) tags.\n"
                "A registry that asks for credentials (token or Basic auth) gets\n"
                "FERRY_REGISTRY_USERNAME/FERRY_REGISTRY_PASSWORD, else the `docker login`\n"
                "entry of ~/.docker/config.json.");
  flags.String("ref", "", "package tag in the layout (default: the only one)");
  flags.String("chunk-mib", "64", "upload blobs larger than this in chunks of this size");
  DeclareRegistryFlags(flags);
  flags.Bool("quiet", "no progress lines");
  if (int rc = ParseFlags(flags, cmd, args, 2); rc >= 0) return rc;
  auto layout = package::OciLayout::Open(flags.positional()[0]);
  if (!layout.ok()) return TrustFail(cmd, std::string(layout.status().message()));
  auto head = package::ReadPackage(**layout, flags.Get("ref"));
  if (!head.ok()) return TrustFail(cmd, std::string(head.status().message()));
  std::string text = flags.positional()[1];
  // A reference without tag or digest gets the package version as its tag.
  if (text.find('@') == std::string::npos && text.rfind(':') <= text.find('/')) {
    text += ":" + (head->config.descriptor.version.empty()
                       ? head->manifest_descriptor.Annotation(package::kAnnotationRefName)
                       : head->config.descriptor.version);
  }
  auto ref = package::ParseDistributionReference(text);
  if (!ref.ok()) return TrustFail(cmd, std::string(ref.status().message()));
  if (ref->tag.empty()) return TrustFail(cmd, "push needs a tag in the reference");
  auto chunk = ParseInt64(flags.Get("chunk-mib"));
  if (!chunk || *chunk <= 0) return TrustFail(cmd, "--chunk-mib must be a positive integer");
  auto client = RegistryClient(*ref, flags);
  if (!client.ok()) return TrustFail(cmd, std::string(client.status().message()));
  client->set_chunk_size(*chunk << 20);
  client->set_progress(BlobProgress(flags.GetBool("quiet")));
  auto result = package::PushPackage(*client, **layout, head->manifest_descriptor, ref->tag);
  if (!result.ok()) return TrustFail(cmd, std::string(result.status().message()));
  PrintResult("pushed", *result);
  std::printf("%s@%s\n", ref->Name().c_str(), result->manifest_digest.c_str());
  return 0;
}

int PackagePullCommand(const std::vector<std::string>& args) {
  const std::string cmd = "ferry package pull";
  FlagSet flags("ferry package pull HOST:PORT/REPO(:TAG|@sha256:HEX) -o DIR [flags]",
                "Pulls a package from a registry into the OCI layout DIR (created if needed):\n"
                "the manifest (checked against the digest in the reference, if any), every\n"
                "blob (downloaded to a temp file and kept only if it matches its digest), and\n"
                "its signature (.sig) and provenance (.att) when the registry has them. Run\n"
                "`ferry package verify DIR --policy P` before trusting it. Credentials as for\n"
                "`ferry package push`.");
  flags.String("output", "", "layout directory (-o)");
  DeclareRegistryFlags(flags);
  flags.Bool("quiet", "no progress lines");
  if (int rc = ParseFlags(flags, cmd, args, 1); rc >= 0) return rc;
  if (flags.Get("output").empty()) return TrustFail(cmd, "-o DIR is required");
  auto ref = package::ParseDistributionReference(flags.positional()[0]);
  if (!ref.ok()) return TrustFail(cmd, std::string(ref.status().message()));
  auto layout = package::OciLayout::Create(flags.Get("output"));
  if (!layout.ok()) return TrustFail(cmd, std::string(layout.status().message()));
  auto client = RegistryClient(*ref, flags);
  if (!client.ok()) return TrustFail(cmd, std::string(client.status().message()));
  client->set_progress(BlobProgress(flags.GetBool("quiet")));
  std::string tag = ref->tag.empty() ? package::CosignTag(ref->digest, "") : ref->tag;
  auto result = package::PullPackage(*client, **layout, tag);
  if (!result.ok()) return TrustFail(cmd, std::string(result.status().message()));
  PrintResult("pulled", *result);
  std::printf("%s tagged %s in %s\n", result->manifest_digest.c_str(), tag.c_str(),
              flags.Get("output").c_str());
  return 0;
}

}  // namespace ferry::cli
