#pragma once
// `ferry lineage model NAME VERSION | dataset DIGEST_OR_PATH | run RUN_ID [--server URL]
// [--format text|json] [--max-nodes N]`: asks a server's lineage API and prints the graph as
// an indented tree (or its JSON). A PATH is digested here, as pipeline steps digest inputs,
// so "what was trained on this file" needs only the file.

#include <string>
#include <vector>

namespace ferry::cli {

// 0 answered, 1 the server refused or could not be reached, 2 usage.
int LineageCommand(const std::vector<std::string>& args);

}  // namespace ferry::cli
