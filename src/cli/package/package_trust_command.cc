// `ferry keys generate`, `ferry package sign` and `ferry package verify`: the producer signs
// a package (cosign-style .sig) and attaches SLSA provenance (.att); the consumer verifies
// digests, signer and provenance against a trust policy before using it.

#include "cli/package/package_trust_command.h"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>

#include "cli/flags.h"
#include "common/fs.h"
#include "package/build/contents.h"
#include "package/layout/layout_archive.h"
#include "package/layout/oci_layout.h"
#include "package/trust/provenance.h"
#include "package/trust/signature.h"
#include "package/trust/trust_policy.h"
#include "package/trust/verify.h"

namespace ferry::cli {

const char kPackageTrustHelp[] =
    "  sign       Sign a package layout with a key (.sig) and attach SLSA provenance (.att)\n"
    "  verify     Check digests, signature and provenance against a trust policy or key\n"
    "  push       Push a package and its signature/provenance to an OCI registry\n"
    "  pull       Pull a package (and its signature/provenance) from an OCI registry\n";

namespace {

using package::OciLayout;

// Parses flags; returns -1 to continue, else the exit code (help or usage error).
int ParseOrExit(FlagSet& flags, const std::string& command, const std::vector<std::string>& args,
                size_t want_positional) {
  auto exit =
      flags.ParseCommand(command, ExpandShortOutput(args), static_cast<int>(want_positional));
  return exit ? *exit : -1;
}

int KeysGenerate(const std::vector<std::string>& args) {
  FlagSet flags("ferry keys generate -o PREFIX",
                "Generates an ECDSA P-256 key pair (the scheme cosign uses) and writes\n"
                "PREFIX.key (PKCS#8 PEM, mode 0600) and PREFIX.pub (SubjectPublicKeyInfo PEM,\n"
                "like cosign.pub). Prints the key id: the SHA-256 of the DER public key.\n"
                "Never overwrites an existing PREFIX.key.");
  flags.String("output", "", "path prefix of the key files (-o)");
  if (int rc = ParseOrExit(flags, "ferry keys generate", args, 0); rc >= 0) return rc;
  if (flags.Get("output").empty()) return TrustFail("ferry keys generate", "-o PREFIX is required");
  auto key = package::PrivateKey::Generate();
  if (!key.ok()) return TrustFail("ferry keys generate", std::string(key.status().message()));
  absl::Status s = key->WritePair(flags.Get("output"));
  if (!s.ok()) return TrustFail("ferry keys generate", std::string(s.message()));
  std::printf("wrote %s.key (private, mode 0600) and %s.pub\nkey id: %s\n",
              flags.Get("output").c_str(), flags.Get("output").c_str(),
              key->Public().KeyId().c_str());
  return 0;
}

int Sign(const std::vector<std::string>& args) {
  const std::string cmd = "ferry package sign";
  FlagSet flags("ferry package sign DIR --key KEY [flags]",
                "Signs the package in the OCI layout DIR: writes a cosign-compatible signature\n"
                "(tag sha256-<hex>.sig) over the manifest digest, and an in-toto SLSA v1\n"
                "provenance statement built from the package config (trainer parameters, data\n"
                "digests, source run, code commit), signed in a DSSE envelope (tag\n"
                "sha256-<hex>.att). Signing again replaces both.");
  flags.String("key", "", "private key PEM (from `ferry keys generate`)");
  flags.String("repo", "",
               "docker-reference to sign for, e.g. HOST:PORT/REPO (default: model name)");
  flags.String("ref", "", "package tag in the layout (default: the only one)");
  flags.Bool("no-provenance", "sign only; do not attach a provenance attestation");
  if (int rc = ParseOrExit(flags, cmd, args, 1); rc >= 0) return rc;
  if (flags.Get("key").empty()) return TrustFail(cmd, "--key is required");
  auto key = package::PrivateKey::Load(flags.Get("key"));
  if (!key.ok()) return TrustFail(cmd, std::string(key.status().message()));
  auto layout = OciLayout::Open(flags.positional()[0]);
  if (!layout.ok()) return TrustFail(cmd, std::string(layout.status().message()));
  // Never sign what does not match its digests.
  auto head = package::VerifyContents(**layout, flags.Get("ref"));
  if (!head.ok()) return TrustFail(cmd, std::string(head.status().message()));
  const std::string& name = head->config.descriptor.name;
  std::string repo = flags.Get("repo").empty() ? name : flags.Get("repo");
  auto sig = package::SignManifest(**layout, head->manifest_descriptor, repo, *key);
  if (!sig.ok()) return TrustFail(cmd, std::string(sig.status().message()));
  std::printf("signed %s %s (%s) with key %s\n  signature: %s\n", name.c_str(),
              head->config.descriptor.version.c_str(), head->manifest_descriptor.digest.c_str(),
              key->Public().KeyId().c_str(),
              package::CosignTag(head->manifest_descriptor.digest, ".sig").c_str());
  if (flags.GetBool("no-provenance")) return 0;
  std::string statement = package::BuildStatement(package::ProvenanceFromConfig(head->config), name,
                                                  head->manifest_descriptor.digest);
  auto att = package::AttestManifest(**layout, head->manifest_descriptor, statement, *key);
  if (!att.ok()) return TrustFail(cmd, std::string(att.status().message()));
  std::printf("  provenance: %s (SLSA v1, subject %s)\n",
              package::CosignTag(head->manifest_descriptor.digest, ".att").c_str(), name.c_str());
  return 0;
}

int Verify(const std::vector<std::string>& args) {
  const std::string cmd = "ferry package verify";
  FlagSet flags("ferry package verify (DIR|TAR) [--policy POLICY | --key PUB] [flags]",
                "Verifies the package in the OCI layout DIR (or tarball TAR): the manifest, config "
                "and every\n"
                "layer against their digests; then, with --policy, a signature by a key the\n"
                "policy allows for the model name and the provenance attestation (its signer,\n"
                "and its subject = this manifest digest and model name), required when the\n"
                "policy's rule says so. --key PUB trusts one public key for any model, with\n"
                "provenance checked when present. Prints each check; exits 1 with the reason\n"
                "on the first failure.");
  flags.String("policy", "", "trust policy JSON file");
  flags.String("key", "", "trust this public key PEM for every model");
  flags.String("ref", "", "package tag in the layout (default: the only one)");
  if (int rc = ParseOrExit(flags, cmd, args, 1); rc >= 0) return rc;
  if (!flags.Get("policy").empty() && !flags.Get("key").empty()) {
    return TrustFail(cmd, "give --policy or --key, not both");
  }
  std::unique_ptr<package::TrustPolicy> policy;
  if (!flags.Get("policy").empty()) {
    auto p = package::TrustPolicy::Load(flags.Get("policy"));
    if (!p.ok()) return TrustFail(cmd, std::string(p.status().message()));
    policy = std::make_unique<package::TrustPolicy>(std::move(*p));
  } else if (!flags.Get("key").empty()) {
    auto k = package::PublicKey::Load(flags.Get("key"));
    if (!k.ok()) return TrustFail(cmd, std::string(k.status().message()));
    policy =
        std::make_unique<package::TrustPolicy>(package::TrustPolicy::ForKey(*k, flags.Get("key")));
  }
  std::string path = flags.positional()[0];
  std::optional<TempDir> scratch;
  struct stat st;
  if (::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
    // A tarball: import it (which checks its structure and every blob) into a scratch dir.
    auto created = TempDir::Create("ferry-verify");
    if (!created.ok()) return TrustFail(cmd, std::string(created.status().message()));
    scratch = std::move(created).value();
    absl::Status s = package::Import(path, scratch->path() + "/layout");
    if (!s.ok()) return TrustFail(cmd, "FAILED: " + std::string(s.message()));
    path = scratch->path() + "/layout";
  }
  auto layout = OciLayout::Open(path);
  if (!layout.ok()) return TrustFail(cmd, std::string(layout.status().message()));
  auto report = package::VerifyPackage(**layout, flags.Get("ref"), policy.get());
  if (!report.ok()) return TrustFail(cmd, "FAILED: " + std::string(report.status().message()));
  // The report goes to stderr; stdout gets only the verified manifest digest, for scripts.
  std::fprintf(stderr, "package %s %s (%s)\n", report->model_name.c_str(),
               report->model_version.c_str(), report->manifest_digest.c_str());
  for (const std::string& line : report->checks) std::fprintf(stderr, "  ok  %s\n", line.c_str());
  if (!report->signer_checked) {
    std::fprintf(stderr,
                 "  --  signer NOT checked: no --policy or --key given, so anyone could have "
                 "made this package\n"
                 "verified: contents only, signer not checked\n");
  } else {
    std::fprintf(stderr, "verified\n");
  }
  std::printf("%s\n", report->manifest_digest.c_str());
  return 0;
}

}  // namespace

std::vector<std::string> ExpandShortOutput(const std::vector<std::string>& args) {
  std::vector<std::string> out;
  for (const std::string& a : args) out.push_back(a == "-o" ? "--output" : a);
  return out;
}

int TrustFail(const std::string& command, const std::string& message) {
  std::fprintf(stderr, "%s: %s\n", command.c_str(), message.c_str());
  return 1;
}

int KeysCommand(const std::vector<std::string>& args) {
  constexpr char kHelp[] =
      "Usage: ferry keys <command> [flags]\n\n"
      "Commands:\n"
      "  generate   Generate an ECDSA P-256 key pair for signing packages\n";
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::fputs(kHelp, args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "generate") return KeysGenerate({args.begin() + 1, args.end()});
  std::fprintf(stderr, "ferry keys: unknown command '%s'\n\n%s", args[0].c_str(), kHelp);
  return 2;
}

bool IsPackageTrustSubcommand(const std::string& sub) {
  return sub == "sign" || sub == "verify" || sub == "push" || sub == "pull";
}

int PackageTrustCommand(const std::string& sub, const std::vector<std::string>& args) {
  if (sub == "sign") return Sign(args);
  if (sub == "verify") return Verify(args);
  if (sub == "push") return PackagePushCommand(args);
  if (sub == "pull") return PackagePullCommand(args);
  return -1;
}

}  // namespace ferry::cli
