// Registered models: searched by name on the server, with their latest versions and aliases.
import { get } from "../api";
import { fill, formatTime, h, searchBox } from "../dom";
import { go, href } from "../route";

export async function modelsPage(root: HTMLElement, _parts: string[], params: URLSearchParams) {
  const q = params.get("q") || "";
  const query: Record<string, string> = { max_results: "100" };
  if (q) query.filter = `name ILIKE '%${q.replace(/'/g, "\\'")}%'`;
  const res = await get("registered-models/search", query);
  const models: any[] = res.registered_models || [];
  const search = searchBox(q, "Filter models by name", "Filter by name", (v) => go({ q: v }));
  fill(root, 
    h("h1", {}, "Registered models"),
    h("div", { class: "toolbar" }, search),
    h(
      "table",
      { class: "grid", id: "models" },
      h("thead", {}, h("tr", {}, h("th", {}, "Name"), h("th", {}, "Latest versions"), h("th", {}, "Aliases"), h("th", {}, "Updated"))),
      h(
        "tbody",
        {},
        models.map((m) =>
          h(
            "tr",
            {},
            h("td", {}, h("a", { href: href(["models", m.name]) }, m.name)),
            h("td", {}, (m.latest_versions || []).map((v: any) => `v${v.version}${v.current_stage && v.current_stage !== "None" ? " (" + v.current_stage + ")" : ""}`).join(", ")),
            h("td", {}, (m.aliases || []).map((a: any) => `@${a.alias} → v${a.version}`).join(", ")),
            h("td", {}, formatTime(m.last_updated_timestamp)),
          ),
        ),
      ),
    ),
    models.length === 0 ? h("p", { class: "empty" }, "No registered models.") : null,
  );
}
