// nextToken values: DecodeCursor never crashes on any token, for every listing order.
#include <cstdint>
#include <string_view>

#include "domain/dentry.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace domain = spacestore::domain;
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  for (const auto order : {domain::DentryOrder::kModifiedTime, domain::DentryOrder::kCreateTime,
                           domain::DentryOrder::kName, domain::DentryOrder::kSize}) {
    (void)domain::DecodeCursor(order, token);
  }
  return 0;
}
