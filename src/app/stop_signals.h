#pragma once
// SIGINT/SIGTERM handling shared by the long-running commands: block them before any thread
// starts (threads inherit the mask), then wait for one on the main thread.

#include <signal.h>

namespace ferry::app {

// Blocks SIGINT and SIGTERM in the calling thread, ignores SIGPIPE, and returns the set.
sigset_t BlockStopSignals();
// Waits for one of `signals` and logs "shutting down" with its name.
void WaitForStopSignal(const sigset_t& signals);

}  // namespace ferry::app
