#pragma once
// Persistence of workspaces (core/workspace.h): their names and descriptions. Backends keep
// them in the metadata database beside the experiments that belong to them; `default` is
// there from the first start (migration 7) and cannot be deleted.
//
// Implementations are safe for concurrent use. Each method is one transaction. Errors:
//   kNotFound        "Workspace '<name>' not found"
//   kAlreadyExists   "Workspace '<name>' already exists"
//   kFailedPrecondition  deleting `default`, or a workspace that still holds experiments

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "core/workspace.h"

namespace ferry::store {

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
};

}  // namespace ferry::store
