#pragma once

#include <string>

#include "app/stores.h"

namespace spacestore::app {

// Wraps both opened stores in the fault decorators (storage/fault), driven by the fault file
// at `path`: the test-only `serve --fault-file PATH` (docs/error-handling.md, "Injected
// faults"). Serve calls it only when the flag is given, so a production server runs on the
// bare stores and pays nothing for fault injection.
Stores WithFaultFile(Stores&& stores, const std::string& path);

}  // namespace spacestore::app
