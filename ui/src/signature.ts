// A model version's input/output schema: the `signature:` block of its MLmodel, read through
// /model-versions/get-artifact as MLflow's UI does (the version and compare-versions pages).
import { apiFetch } from "./api";

export interface Column {
  name?: string;
  type: string;
  "tensor-spec"?: { dtype: string; shape: number[] };
}
export interface Signature {
  inputs: Column[];
  outputs: Column[];
}

// The `inputs:`/`outputs:` JSON strings of an MLmodel's signature block, or null.
export function signature(mlmodel: string): Signature | null {
  const field = (name: string) => {
    const m = mlmodel.match(new RegExp(`^  ${name}: '(.*?)'$`, "ms"));
    if (!m) return [];
    try {
      return JSON.parse(m[1].replace(/''/g, "'").replace(/\n\s+/g, " "));
    } catch {
      return [];
    }
  };
  if (!/^signature:/m.test(mlmodel)) return null;
  return { inputs: field("inputs"), outputs: field("outputs") };
}

export const columnName = (c: Column) => c.name ?? "(unnamed)";
export const columnType = (c: Column) =>
  c.type + (c["tensor-spec"] ? ` ${c["tensor-spec"].dtype}${JSON.stringify(c["tensor-spec"].shape)}` : "");

// The version's signature, or why there is none (a sentence to show).
export async function fetchSignature(name: string, version: string): Promise<Signature | string> {
  try {
    const res = await apiFetch(`model-versions/get-artifact?path=MLmodel&name=${encodeURIComponent(name)}&version=${encodeURIComponent(version)}`);
    const sig = res.ok ? signature(await res.text()) : null;
    return sig || (res.ok ? "The MLmodel has no signature." : "No MLmodel in this version's artifacts.");
  } catch {
    return "The MLmodel could not be read.";
  }
}
