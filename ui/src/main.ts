// Ferry's web UI: one page, routed by the URL's fragment, speaking only the public REST API.
import "./app.css";
import "uplot/dist/uPlot.min.css";
import { ApiError } from "./api";
import { clear, h } from "./dom";
import { current } from "./route";
import { experimentsPage } from "./pages/experiments";
import { runsPage } from "./pages/runs";
import { runPage } from "./pages/run";
import { modelsPage } from "./pages/models";
import { modelPage } from "./pages/model";
import { versionPage } from "./pages/version";
import { versionsComparePage } from "./pages/versions_compare";
import { deploymentsPage } from "./pages/deployments";
import { comparePage } from "./pages/compare";
import { pipelinesPage } from "./pages/pipelines";
import { pipelinePage } from "./pages/pipeline";
import { datasetPage } from "./pages/dataset";
import { accountPage } from "./pages/account";
import { accessPage } from "./pages/access";
import { adminUsersPage } from "./pages/admin_users";
import { adminUserPage } from "./pages/admin_user";
import { adminAuditPage } from "./pages/admin_audit";
import { adminWorkspacesPage } from "./pages/admin_workspaces";
import { workspaceRolesPage } from "./pages/workspace_roles";
import { loginForm, showAccount } from "./session";
import { recoverMissingWorkspace, syncWorkspace } from "./workspace";
import { errorView } from "./denied";

type Page = (root: HTMLElement, parts: string[], params: URLSearchParams) => Promise<void>;

function pick(parts: string[]): { page: Page; nav: string } | null {
  if (parts.length === 0 || (parts[0] === "experiments" && parts.length === 1)) {
    return { page: experimentsPage, nav: "experiments" };
  }
  if (parts[0] === "experiments" && parts.length === 2) return { page: runsPage, nav: "experiments" };
  if (parts[0] === "runs" && parts.length === 2) return { page: runPage, nav: "experiments" };
  if (parts[0] === "models" && parts.length === 1) return { page: modelsPage, nav: "models" };
  if (parts[0] === "models" && parts.length === 2) return { page: modelPage, nav: "models" };
  if (parts[0] === "models" && parts.length === 4 && parts[2] === "versions") return { page: versionPage, nav: "models" };
  if (parts[0] === "models" && parts.length === 3 && parts[2] === "compare") return { page: versionsComparePage, nav: "models" };
  if (parts[0] === "compare" && parts.length === 1) return { page: comparePage, nav: "experiments" };
  if (parts[0] === "deployments" && parts.length === 1) return { page: deploymentsPage, nav: "deployments" };
  if (parts[0] === "pipelines" && parts.length === 1) return { page: pipelinesPage, nav: "pipelines" };
  if (parts[0] === "pipelines" && parts.length === 2) return { page: pipelinePage, nav: "pipelines" };
  if (parts[0] === "datasets" && parts.length === 2) return { page: datasetPage, nav: "pipelines" };
  if (parts[0] === "experiments" && parts.length === 3 && parts[2] === "access") return { page: accessPage, nav: "experiments" };
  if (parts[0] === "models" && parts.length === 3 && parts[2] === "access") return { page: accessPage, nav: "models" };
  if (parts[0] === "account" && parts.length === 1) return { page: accountPage, nav: "account" };
  if (parts[0] === "admin" && (parts.length === 1 || (parts.length === 2 && parts[1] === "users"))) return { page: adminUsersPage, nav: "admin" };
  if (parts[0] === "admin" && parts.length === 3 && parts[1] === "users") return { page: adminUserPage, nav: "admin" };
  if (parts[0] === "admin" && parts.length === 2 && parts[1] === "audit") return { page: adminAuditPage, nav: "admin" };
  if (parts[0] === "admin" && parts.length === 2 && parts[1] === "workspaces") return { page: adminWorkspacesPage, nav: "admin" };
  if (parts[0] === "admin" && parts.length === 3 && parts[1] === "workspaces") return { page: workspaceRolesPage, nav: "admin" };
  return null;
}

let generation = 0;

async function render(): Promise<void> {
  const root = document.getElementById("app")!;
  const mine = ++generation;
  await syncWorkspace();
  if (mine !== generation) return;
  const { parts, params } = current();
  const target = pick(parts);
  document.querySelectorAll("[data-nav]").forEach((a) => {
    a.classList.toggle("active", target !== null && a.getAttribute("data-nav") === target.nav);
  });
  const view = h("div", { class: "page" });
  try {
    if (!target) throw new ApiError(404, "NOT_FOUND", "No page at " + location.hash);
    await target.page(view, parts, params);
  } catch (e) {
    const err = e as ApiError;
    // A workspace that does not exist (deleted meanwhile): the page again, in `default`.
    if (mine === generation && recoverMissingWorkspace(err)) return void render();
    clear(view);
    if (err.status === 401) {
      view.appendChild(loginForm(err.message, () => void render().then(showAccount)));
    } else {
      view.appendChild(errorView(err));
    }
  }
  if (mine !== generation) return; // a newer navigation won
  clear(root);
  root.appendChild(view);
  // How many pages were shown: tests wait for it to move after an action.
  document.body.dataset.renders = String(Number(document.body.dataset.renders || 0) + 1);
}

window.addEventListener("hashchange", () => void render());
void render();
void showAccount();
