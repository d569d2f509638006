// One model version: stage, aliases, source, tags, the source run, its Ferry package (digest,
// signer, trust), the input and output schema from the MLmodel signature (through
// /model-versions/get-artifact, as MLflow's UI) and its lineage.
import { ApiError, del, get, post } from "../api";
import { fill, formatTime, h } from "../dom";
import { href, rerender } from "../route";
import { deployments } from "./deployments";
import { packageSection } from "../package";
import { lineageSection } from "../lineage";
import { Column, columnName, columnType, fetchSignature } from "../signature";

function schemaTable(id: string, cols: Column[]) {
  return h("table", { class: "grid kv", id }, h("tbody", {}, cols.map((c) => h("tr", {}, h("th", {}, columnName(c)), h("td", {}, columnType(c))))));
}

export async function versionPage(root: HTMLElement, parts: string[]) {
  const [name, version] = [parts[1], parts[3]];
  const v = (await get("model-versions/get", { name, version })).model_version;
  // Package and lineage are fetched while the MLmodel is (they show their own errors).
  const pkg = packageSection(v);
  const lineage = lineageSection(`model-versions/${encodeURIComponent(name)}/${encodeURIComponent(version)}`, "No lineage recorded: no training run, pipeline or data is linked to this version.");
  const sig = await fetchSignature(name, version);
  const schema = typeof sig === "string"
    ? h("p", { class: "empty" }, sig)
    : h("div", {}, h("h3", {}, "Inputs"), schemaTable("inputs", sig.inputs), h("h3", {}, "Outputs"), schemaTable("outputs", sig.outputs));
  fill(
    root,
    h("nav", { class: "crumbs" }, h("a", { href: href(["models"]) }, "Models"), " / ", h("a", { href: href(["models", name]) }, name), " / ", `Version ${version}`),
    h("h1", {}, `${name} version ${version}`),
    h(
      "table",
      { class: "grid kv", id: "version" },
      h(
        "tbody",
        {},
        ([
          ["Aliases", (v.aliases || []).map((a: string) => "@" + a).join(" ")],
          ["Stage", v.current_stage || ""],
          ["Status", v.status || ""],
          ["Verification", v.status_message || (v.status === "READY" ? "passed" : "")],
          ["Served here by", await servedBy(name, version)],
          ["Source", v.source || ""],
          ["Source run", v.run_id ? h("a", { href: href(["runs", v.run_id]) }, v.run_id) : ""],
          ["Created", formatTime(v.creation_timestamp)],
          ["Description", v.description || ""],
        ] as [string, string | Node][]).map(([k, x]) => h("tr", {}, h("th", {}, k), h("td", {}, x))),
      ),
    ),
    (v.tags || []).length ? h("p", {}, (v.tags || []).map((t: any) => h("span", { class: "tag" }, `${t.key}=${t.value}`))) : null,
    h("h2", {}, "Package"),
    await pkg,
    h("h2", {}, "Aliases"),
    aliasEditor(name, version, v.aliases || []),
    h("h2", {}, "Schema"),
    schema,
    h("h2", {}, "Lineage"),
    await lineage,
  );
}

// Moving an alias here is how a version is promoted: a server deploying models:/NAME@ALIAS
// follows it (hot swap). Errors from the server show beside the form.
function aliasEditor(name: string, version: string, aliases: string[]) {
  const status = h("span", { class: "form-status", role: "status" });
  const refresh = () => rerender();
  const fail = (e: unknown) => (status.textContent = e instanceof ApiError ? `${e.code}: ${e.message}` : String(e));
  const input = h("input", { type: "text", placeholder: "alias, e.g. champion", "aria-label": "alias", id: "alias-input" }) as HTMLInputElement;
  const set = h("button", { type: "button", id: "alias-set" }, "Point alias here");
  set.addEventListener("click", () => {
    post("registered-models/alias", { name, alias: input.value.trim(), version }).then(refresh, fail);
  });
  return h("div", { class: "aliases" },
    aliases.map((a) => {
      const remove = h("button", { type: "button", class: "link", "aria-label": `remove @${a}` }, "×");
      remove.addEventListener("click", () => del("registered-models/alias", { name, alias: a }).then(refresh, fail));
      return h("span", { class: "tag", "data-alias": a }, "@" + a, " ", remove);
    }),
    h("div", { class: "toolbar" }, input, set, status));
}

// The deployments of this server whose primary or challenger is this version ("" for none, or
// when this server deploys nothing).
async function servedBy(name: string, version: string): Promise<string> {
  const list = (await deployments().catch(() => null)) || [];
  return list
    .flatMap((d) => [["primary", d.primary], ["challenger", d.challenger]].filter(([, a]) => a && a.model === name && a.version === version).map(([role]) => `${d.name} (${role})`))
    .join(", ");
}
