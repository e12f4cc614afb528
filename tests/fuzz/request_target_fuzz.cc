// Request targets: ParseTarget never crashes; an accepted target has an absolute path.
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fuzz_check.h"
#include "server/http_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  if (spacestore::server::ParseTarget(target, path, query)) {
    FUZZ_CHECK(!path.empty() && path.front() == '/');
  }
  return 0;
}
