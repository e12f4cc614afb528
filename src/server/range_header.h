#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace spacestore::server {

// A byte range [first, last] of a representation, both inclusive.
struct ByteRange {
  uint64_t first = 0;
  uint64_t last = 0;
  uint64_t length() const { return last - first + 1; }
};

// The outcome of reading a Range header against a representation of `size` bytes.
struct RangeRequest {
  enum class Kind {
    kWhole,          // No usable Range: answer 200 with everything.
    kPartial,        // Answer 206 with `range`.
    kUnsatisfiable,  // Answer 416.
  };
  Kind kind = Kind::kWhole;
  ByteRange range;
};

// Parses a Range header value (RFC 9110 section 14): "bytes=0-99", "bytes=100-", "bytes=-50".
// Several ranges, other units and malformed values are ignored (kWhole), as the RFC allows;
// a well-formed range that starts past the end, or an empty file, is kUnsatisfiable.
RangeRequest ParseRange(std::optional<std::string_view> header, uint64_t size);

}  // namespace spacestore::server
