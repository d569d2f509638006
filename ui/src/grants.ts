// One user's grant on one experiment or registered model, through MLflow's permission routes
// (experiments/permissions/* and registered-models/permissions/*: MANAGE on the resource, or
// an admin). Used by the admin's user page and by a resource's access page.
import { ApiError, del, get, patch, post } from "./api";

export type Kind = "experiment" | "model";

const ROUTES = {
  experiment: { path: "experiments/permissions/", field: "experiment_id", answer: "experiment_permission" },
  model: { path: "registered-models/permissions/", field: "name", answer: "registered_model_permission" },
};

export class Grant {
  private key: Record<string, string>;
  private path: string;

  constructor(private kind: Kind, resource: string, username: string) {
    this.key = { [ROUTES[kind].field]: resource, username };
    this.path = ROUTES[kind].path;
  }

  // The user's level, or null without a grant (the server's default applies then).
  async level(): Promise<string | null> {
    try {
      return (await get(this.path + "get", this.key))[ROUTES[this.kind].answer].permission;
    } catch (e) {
      if (e instanceof ApiError && e.code === "RESOURCE_DOES_NOT_EXIST") return null;
      throw e;
    }
  }

  // Grants `permission`: creates the grant, or changes it when the user already has one.
  async set(permission: string): Promise<void> {
    try {
      await post(this.path + "create", { ...this.key, permission });
    } catch (e) {
      if (!(e instanceof ApiError && e.code === "RESOURCE_ALREADY_EXISTS")) throw e;
      await this.update(permission);
    }
  }

  update(permission: string): Promise<unknown> {
    return patch(this.path + "update", { ...this.key, permission });
  }

  revoke(): Promise<unknown> {
    return del(this.path + "delete", this.key);
  }
}
