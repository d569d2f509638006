// A model version's Ferry package: its digest, who signed it and whether this server checked.
// The registration gate (`ferry server --trust-policy`) tags a version that passed with
// ferry.verified.signer and ferry.verified.provenance, keys no client may set; without those
// tags nothing was checked against a policy, and the stored index.json only tells whether a
// signature or attestation is attached.
import { apiFetch } from "./api";
import { h } from "./dom";

const SOURCE = /^mlflow-artifacts:\/packages\/sha256-([0-9a-f]{64})(\/|$)/;

export interface VersionLike {
  source?: string;
  status?: string;
  status_message?: string;
  tags?: { key: string; value: string }[];
}

// The 64 hex digits of the package a version's source names, or "".
export const packageHex = (source = "") => SOURCE.exec(source)?.[1] || "";

// The cosign tags stored beside the package (".sig", ".att"), or null if its index.json
// cannot be read.
async function attached(hex: string): Promise<Set<string> | null> {
  try {
    const res = await apiFetch(`api/2.0/mlflow-artifacts/artifacts/packages/sha256-${hex}/index.json`);
    if (!res.ok) return null;
    const index = await res.json();
    const refs = (index.manifests || []).map((m: any) => m.annotations?.["org.opencontainers.image.ref.name"] || "");
    return new Set([".sig", ".att"].filter((s) => refs.includes(`sha256-${hex}${s}`)));
  } catch {
    return null;
  }
}

type Row = [string, string, string?]; // label, text, class (ok, bad)

function signatureRow(signer: string, found: Set<string> | null): Row {
  if (signer) return ["Signature", `signed by key '${signer}'`, "ok"];
  if (!found) return ["Signature", "unknown (the package's index.json could not be read)"];
  return ["Signature", found.has(".sig") ? "signed (signer not checked)" : "unsigned", found.has(".sig") ? "" : "bad"];
}

function provenanceRow(verified: string, found: Set<string> | null): Row {
  if (verified === "verified") return ["Provenance", "verified (SLSA attestation by a key the policy allows)", "ok"];
  if (verified) return ["Provenance", "none attached (the policy does not require it)"];
  if (!found) return ["Provenance", "unknown"];
  return ["Provenance", found.has(".att") ? "attached, not verified" : "none attached"];
}

function trustRow(v: VersionLike, checked: boolean): Row {
  if (v.status === "FAILED_REGISTRATION") return ["Trust policy", `failed: ${v.status_message || "no reason given"}`, "bad"];
  if (v.status === "PENDING_REGISTRATION") return ["Trust policy", "verification pending"];
  if (checked) return ["Trust policy", "verified by this server's trust policy", "ok"];
  return ["Trust policy", "not verified (no trust policy when it was registered)"];
}

// The package table, or a note that the source is not a stored Ferry package.
export async function packageSection(v: VersionLike): Promise<HTMLElement> {
  const hex = packageHex(v.source);
  if (!hex) return h("p", { class: "empty", id: "package" }, "Not a Ferry package: the source is not stored under mlflow-artifacts:/packages/, so no signature applies.");
  const tag = (k: string) => (v.tags || []).find((t) => t.key === k)?.value || "";
  const signer = tag("ferry.verified.signer");
  const found = await attached(hex);
  const rows: Row[] = [
    ["Digest", `sha256:${hex}`],
    signatureRow(signer, found),
    provenanceRow(tag("ferry.verified.provenance"), found),
    trustRow(v, signer !== ""),
  ];
  return h("table", { class: "grid kv", id: "package" },
    h("tbody", {}, rows.map(([k, x, cls]) => h("tr", { "data-row": k }, h("th", {}, k), h("td", { class: cls }, x)))));
}
