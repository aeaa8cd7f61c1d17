#pragma once

#include <atomic>

namespace futureim::cli {

// SIGINT/SIGTERM ask a long-running command to finish what it is doing and
// exit cleanly. A signal handler can only reach process-wide state, so this
// flag is the one global the commands share; nothing else should write it.
const std::atomic<bool>& InstallStopSignalHandlers();

}  // namespace futureim::cli
