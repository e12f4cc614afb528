// nextToken values: DecodeCursor never crashes on any token, for every listing order, and
// DecodeVersionCursor (ListDentryVersions) never crashes either; a version token it accepts
// names a version of at least 1 and encodes back to the same text.
#include <cstdint>
#include <string_view>

#include "domain/dentry.h"
#include "domain/version_service.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace domain = spacestore::domain;
  const std::string_view token(reinterpret_cast<const char*>(data), size);
  for (const auto order : {domain::DentryOrder::kModifiedTime, domain::DentryOrder::kCreateTime,
                           domain::DentryOrder::kName, domain::DentryOrder::kSize}) {
    (void)domain::DecodeCursor(order, token);
  }
  // The dentry id is whatever follows the second dot, so every token can be accepted for some
  // file: take that file, and the first file id of the seeds.
  const size_t dot = token.size() > 2 ? token.find('.', 2) : std::string_view::npos;
  for (const std::string_view id :
       {dot == std::string_view::npos ? std::string_view() : token.substr(dot + 1),
        std::string_view("123456789012")}) {
    auto version = domain::DecodeVersionCursor(id, token);
    if (!version) continue;
    FUZZ_CHECK(*version >= 1);
    FUZZ_CHECK(domain::EncodeVersionCursor(id, *version) == token);
  }
  return 0;
}
