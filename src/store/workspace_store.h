#pragma once
// Persistence of workspaces (core/workspace.h): their names and descriptions. Backends keep
// them in the metadata database beside the experiments that belong to them; `default` is
// there from the first start (migration 7) and cannot be deleted.
//
// Implementations are safe for concurrent use. Each method is one transaction. Errors:
//   kNotFound        "Workspace '<name>' not found"
//   kAlreadyExists   "Workspace '<name>' already exists"
//   kFailedPrecondition  deleting `default`, or a workspace that still holds experiments
//
// A workspace may also hold a package trust policy (docs/SIGNING.md's JSON, inline keys only)
// that the server's package intake applies to packages sent into it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/workspace.h"

namespace ferry::store {

// A workspace's package trust policy as stored: the policy text, who set it and when.
struct WorkspaceTrustPolicy {
  std::string workspace;
  std::string policy;  // JSON, validated by the caller (package::TrustPolicy::ParseInline)
  std::string updated_by;
  int64_t updated_ms = 0;
};

class WorkspaceStore {
 public:
  virtual ~WorkspaceStore() = default;

  // The name is validated by the caller (ValidateWorkspaceName).
  virtual absl::StatusOr<Workspace> CreateWorkspace(const std::string& name,
                                                    const std::string& description,
                                                    int64_t now_ms) = 0;
  virtual absl::StatusOr<Workspace> GetWorkspace(const std::string& name) = 0;
  // Every workspace, by name.
  virtual absl::StatusOr<std::vector<Workspace>> ListWorkspaces() = 0;
  virtual absl::StatusOr<Workspace> UpdateWorkspace(const std::string& name,
                                                    const std::string& description) = 0;
  // Refuses (kFailedPrecondition) while any experiment, deleted ones included, is in it.
  virtual absl::Status DeleteWorkspace(const std::string& name) = 0;

  // The workspace's trust policy; kNotFound when the workspace has none (or does not exist).
  virtual absl::StatusOr<WorkspaceTrustPolicy> GetTrustPolicy(const std::string& workspace) = 0;
  // Sets or replaces it; kNotFound if the workspace does not exist.
  virtual absl::Status SetTrustPolicy(const WorkspaceTrustPolicy& policy) = 0;
  // kNotFound when the workspace has none. Deleting a workspace deletes its policy.
  virtual absl::Status DeleteTrustPolicy(const std::string& workspace) = 0;
};

}  // namespace ferry::store
