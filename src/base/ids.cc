#include "base/ids.h"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <fmt/format.h>

#include "base/crypto.h"

namespace spacestore {
namespace {

// Maps random bytes onto an alphabet without modulo bias by rejecting the top values.
std::string RandomFrom(std::string_view alphabet, size_t length) {
  const unsigned limit = 256 - (256 % alphabet.size());
  std::string out;
  out.reserve(length);
  while (out.size() < length) {
    for (const char c : RandomBytes(length * 2)) {
      const auto b = static_cast<unsigned char>(c);
      if (b >= limit) continue;
      out.push_back(alphabet[b % alphabet.size()]);
      if (out.size() == length) break;
    }
  }
  return out;
}

}  // namespace

std::string RandomAlnumId(size_t length) {
  return RandomFrom("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", length);
}

std::string RandomDigitsId(size_t length) {
  if (length == 0) return {};
  return RandomFrom("123456789", 1) + RandomFrom("0123456789", length - 1);
}

std::string NewRequestId() {
  // "PPPPPPPP-PPPP-PPPP-" (random, fixed per process) then the counter as "CCCC-CCCCCCCCCCCC":
  // formatted by hand, since fmt cost more than the rest of a small request's bookkeeping.
  static const std::string prefix = [] {
    uint64_t v = 0;
    const std::string bytes = RandomBytes(sizeof v);
    std::memcpy(&v, bytes.data(), sizeof v);
    return fmt::format("{:08X}-{:04X}-{:04X}-", static_cast<uint32_t>(v >> 32),
                       static_cast<uint16_t>(v >> 16), static_cast<uint16_t>(v));
  }();
  static std::atomic<uint64_t> counter{0};
  const uint64_t n = counter.fetch_add(1, std::memory_order_relaxed);
  std::string id = prefix + "0000-000000000000";
  constexpr std::string_view kHex = "0123456789ABCDEF";
  char* tail = id.data() + prefix.size();
  for (int i = 0; i < 4; ++i) tail[3 - i] = kHex[(n >> (48 + 4 * i)) & 0xF];
  for (int i = 0; i < 12; ++i) tail[16 - i] = kHex[(n >> (4 * i)) & 0xF];
  return id;
}

}  // namespace spacestore
