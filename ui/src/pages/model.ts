// One registered model: description, tags, aliases, and its versions with stage, aliases,
// source run and status; each version links to its page; checking two or more links to
// their comparison (#/models/NAME/compare?versions=1,3).
import { get } from "../api";
import { fill, formatTime, h } from "../dom";
import { href } from "../route";

export async function modelPage(root: HTMLElement, parts: string[]) {
  const name = parts[1];
  const model = (await get("registered-models/get", { name })).registered_model;
  const res = await get("model-versions/search", { filter: `name='${name.replace(/'/g, "\\'")}'`, max_results: "1000", order_by: "version_number DESC" });
  const versions: any[] = res.model_versions || [];
  const picked = new Set<string>();
  const compare = h("a", { class: "button disabled", id: "compare-versions-link", href: "#" }, "Compare versions (0)");
  const showPicked = () => {
    const list = versions.map((v) => String(v.version)).filter((v) => picked.has(v)).reverse();
    compare.textContent = `Compare versions (${list.length})`;
    compare.setAttribute("href", list.length >= 2 ? href(["models", name, "compare"], { versions: list.join(",") }) : "#");
    compare.classList.toggle("disabled", list.length < 2);
  };
  const pick = (v: string) => h("input", { type: "checkbox", "aria-label": `compare version ${v}`, value: v, onchange: ((e: Event) => {
    (e.target as HTMLInputElement).checked ? picked.add(v) : picked.delete(v);
    showPicked();
  }) as EventListener });
  const aliasesOf = (v: string) => (model.aliases || []).filter((a: any) => a.version === v).map((a: any) => "@" + a.alias).join(" ");
  fill(
    root,
    h("nav", { class: "crumbs" }, h("a", { href: href(["models"]) }, "Models"), " / ", name),
    h("h1", {}, name),
    h("p", { class: "crumbs" }, h("a", { href: href(["models", name, "access"]), id: "access-link" }, "Access: who may read or change this model")),
    model.description ? h("p", { class: "description" }, model.description) : null,
    (model.tags || []).length ? h("p", {}, (model.tags || []).map((t: any) => h("span", { class: "tag" }, `${t.key}=${t.value}`))) : null,
    h("h2", {}, "Versions"),
    versions.length >= 2 ? h("div", { class: "toolbar" }, compare) : null,
    h(
      "table",
      { class: "grid", id: "versions" },
      h("thead", {}, h("tr", {}, ["", "Version", "Aliases", "Stage", "Status", "Source run", "Created"].map((t) => h("th", {}, t)))),
      h(
        "tbody",
        {},
        versions.map((v) =>
          h(
            "tr",
            {},
            h("td", {}, pick(String(v.version))),
            h("td", {}, h("a", { href: href(["models", name, "versions", v.version]) }, `Version ${v.version}`)),
            h("td", {}, aliasesOf(v.version)),
            h("td", {}, v.current_stage || ""),
            h("td", {}, v.status || ""),
            h("td", {}, v.run_id ? h("a", { href: href(["runs", v.run_id]) }, v.run_id.slice(0, 8)) : ""),
            h("td", {}, formatTime(v.creation_timestamp)),
          ),
        ),
      ),
    ),
    versions.length === 0 ? h("p", { class: "empty" }, "No versions.") : null,
  );
}
