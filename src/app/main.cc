// ferry: the single binary. Wires the CLI to the concrete implementations.

#include "app/families.h"
#include "app/serve.h"
#include "app/server.h"
#include "cli/cli.h"

int main(int argc, char** argv) {
  // The families commands below app (train, export-c) find by name.
  ferry::app::RegisterFamilies(ferry::runtime::ProcessFamilies());
  ferry::cli::Hooks hooks;
  hooks.run_server = ferry::app::RunServer;
  hooks.serve = ferry::app::ServeCommand;
  hooks.predict = ferry::app::PredictCommand;
  return ferry::cli::Main(argc, argv, hooks);
}
