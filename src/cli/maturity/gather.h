#pragma once
// What `ferry maturity` observes: the project directory (gather_project.cc) and, with
// --server, the tracking server's registry, pipeline runs and live monitoring
// (gather_server.cc). Only reads; the assessment itself is pipeline/maturity (pure).

#include <string>

#include "pipeline/maturity/maturity.h"

namespace ferry::cli {

// The facts of the project in `dir`; a missing or unreadable file is a fact (absent), never
// an error.
pipeline::maturity::ProjectFacts GatherProject(const std::string& dir);

// The facts the server at `url` shows; `reached` false with `error` when it cannot be asked.
pipeline::maturity::ServerFacts GatherServer(const std::string& url);

}  // namespace ferry::cli
