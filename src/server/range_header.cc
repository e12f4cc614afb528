#include "server/range_header.h"

#include <charconv>

namespace spacestore::server {
namespace {

bool ParseU64(std::string_view s, uint64_t& out) {
  if (s.empty()) return false;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

RangeRequest ParseRange(std::optional<std::string_view> header, uint64_t size) {
  RangeRequest whole;
  if (!header) return whole;
  std::string_view spec = Trim(*header);
  constexpr std::string_view kUnit = "bytes=";
  if (spec.substr(0, kUnit.size()) != kUnit) return whole;
  spec = Trim(spec.substr(kUnit.size()));
  if (spec.find(',') != std::string_view::npos) return whole;
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return whole;
  const std::string_view a = Trim(spec.substr(0, dash));
  const std::string_view b = Trim(spec.substr(dash + 1));
  RangeRequest out;
  out.kind = RangeRequest::Kind::kPartial;
  uint64_t first = 0;
  uint64_t last = 0;
  if (a.empty()) {  // Suffix: the last N bytes.
    uint64_t n = 0;
    if (!ParseU64(b, n)) return whole;
    if (n == 0 || size == 0) return RangeRequest{RangeRequest::Kind::kUnsatisfiable, {}};
    out.range = {size - std::min(n, size), size - 1};
    return out;
  }
  if (!ParseU64(a, first)) return whole;
  if (b.empty()) {
    last = size == 0 ? 0 : size - 1;
  } else if (!ParseU64(b, last) || last < first) {
    return whole;
  }
  if (first >= size) return RangeRequest{RangeRequest::Kind::kUnsatisfiable, {}};
  out.range = {first, std::min(last, size - 1)};
  return out;
}

}  // namespace spacestore::server
