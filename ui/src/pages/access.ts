// #/experiments/ID/access and #/models/NAME/access: who may do what with one experiment or
// registered model. Whoever holds MANAGE on it (its creator, say) or an admin may look a
// user's grant up, grant a level and revoke it; anyone else gets PERMISSION_DENIED from the
// server, shown beside the form.
import { get } from "../api";
import { fill, h } from "../dom";
import { actionButton, actionForm, input, levelSelect, report, statusLine } from "../forms";
import { Grant, Kind } from "../grants";
import { href } from "../route";

export async function accessPage(root: HTMLElement, parts: string[]) {
  const kind: Kind = parts[0] === "models" ? "model" : "experiment";
  const id = parts[1];
  const name = kind === "model" ? id : (await get("experiments/get", { experiment_id: id })).experiment.name;
  if (kind === "model") await get("registered-models/get", { name: id }); // 404 or 403 as the model page
  const back = kind === "model" ? href(["models", id]) : href(["experiments", id]);
  const line = statusLine();
  const found = h("div", { id: "grant-found" });

  const user = input("username", "username", { required: true, autocomplete: "off" });
  const level = levelSelect("READ");
  const grant = actionForm("grant", "Grant", [user, level], async () => {
    await new Grant(kind, id, user.value.trim()).set(level.value);
    return `${user.value.trim()} now has ${level.value} on this ${kind === "model" ? "model" : "experiment"}.`;
  }, line);

  const who = input("username", "username", { required: true, autocomplete: "off" });
  const lookup = actionForm("lookup", "Look up", [who], async () => {
    const username = who.value.trim();
    const g = new Grant(kind, id, username);
    const current = await g.level();
    found.replaceChildren(h("p", {}, current ? `${username}: ${current}` : `${username} has no grant here: the server's default permission applies.`,
      current ? [" ", actionButton("Revoke", line, async () => {
        await g.revoke();
        found.replaceChildren();
        return `${username}'s grant revoked.`;
      }, true)] : null));
  }, line);

  fill(root,
    h("nav", { class: "crumbs" }, h("a", { href: kind === "model" ? href(["models"]) : href(["experiments"]) }, kind === "model" ? "Models" : "Experiments"), " / ",
      h("a", { href: back }, name), " / Access"),
    h("h1", {}, `Access to ${kind === "model" ? "registered model" : "experiment"} ${name}`),
    h("p", { class: "muted" }, "Levels: READ < USE < EDIT < MANAGE; NO_PERMISSIONS hides it. Granting needs MANAGE here (its creator has it) or an admin."),
    h("h2", {}, "Grant"), grant,
    h("h2", {}, "A user's grant"), lookup, found,
    line,
  );
}
