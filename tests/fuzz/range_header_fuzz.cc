// Range headers: ParseRange never crashes, and a partial answer always lies inside the file.
#include <cstdint>
#include <cstring>
#include <string_view>

#include "fuzz_check.h"
#include "server/range_header.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using spacestore::server::RangeRequest;
  // The first byte picks the file size: small sizes, or a large one from the next 8 bytes.
  if (size < 1) return 0;
  uint64_t file_size = data[0] % 64;
  size_t used = 1;
  if (data[0] >= 192 && size >= 9) {
    std::memcpy(&file_size, data + 1, sizeof file_size);
    used = 9;
  }
  const std::string_view header(reinterpret_cast<const char*>(data) + used, size - used);
  const RangeRequest r = spacestore::server::ParseRange(header, file_size);
  if (r.kind == RangeRequest::Kind::kPartial) {
    FUZZ_CHECK(r.range.first <= r.range.last);
    FUZZ_CHECK(r.range.last < file_size);
  }
  return 0;
}
