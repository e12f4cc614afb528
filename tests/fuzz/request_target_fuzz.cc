// Request targets: ParseTarget never crashes; an accepted target has an absolute path; and its
// own split of plain targets gives exactly what Boost.URL gives.
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
  const bool ok = spacestore::server::ParseTarget(target, path, query);
  if (ok) FUZZ_CHECK(!path.empty() && path.front() == '/');
  std::string general_path;
  std::vector<std::pair<std::string, std::string>> general_query;
  FUZZ_CHECK(ok == spacestore::server::ParseTargetGeneral(target, general_path, general_query));
  if (ok) FUZZ_CHECK(path == general_path && query == general_query);
  return 0;
}
