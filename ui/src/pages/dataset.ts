// Data by digest (sha256:<hex>, as lineage names it): what consumed it downstream — runs,
// pipeline steps and the model versions produced from them.
import { fill, h } from "../dom";
import { href } from "../route";
import { lineageSection } from "../lineage";

export async function datasetPage(root: HTMLElement, parts: string[]) {
  const digest = parts[1];
  fill(root,
    h("nav", { class: "crumbs" }, h("a", { href: href(["pipelines"]) }, "Pipelines"), " / ", "Dataset"),
    h("h1", {}, "Dataset"),
    h("p", {}, h("code", { id: "digest" }, digest)),
    h("h2", {}, "Downstream lineage"),
    await lineageSection(`datasets/${encodeURIComponent(digest)}`, "Nothing consumed this data.", true),
  );
}
