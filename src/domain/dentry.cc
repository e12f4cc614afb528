#include "domain/dentry.h"

#include <charconv>

#include "base/crypto.h"

namespace spacestore::domain {

std::string FileExtension(const std::string& name) {
  const size_t dot = name.rfind('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) return {};
  return name.substr(dot + 1);
}

namespace {

char OrderTag(DentryOrder order) {
  switch (order) {
    case DentryOrder::kModifiedTime:
      return 'm';
    case DentryOrder::kCreateTime:
      return 'c';
    case DentryOrder::kName:
      return 'n';
    case DentryOrder::kSize:
      return 's';
  }
  return '?';
}

std::string HexDecode(std::string_view hex, bool& ok) {
  std::string out;
  ok = hex.size() % 2 == 0;
  for (size_t i = 0; ok && i < hex.size(); i += 2) {
    unsigned v = 0;
    const auto [p, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, v, 16);
    ok = ec == std::errc() && p == hex.data() + i + 2;
    out.push_back(static_cast<char>(v));
  }
  return out;
}

}  // namespace

// Token: <order tag> '.' <key> '.' <id>, where key is the decimal number or the hex of the name.
std::string EncodeCursor(DentryOrder order, const Dentry& last) {
  std::string key;
  switch (order) {
    case DentryOrder::kModifiedTime:
      key = std::to_string(last.modified_time);
      break;
    case DentryOrder::kCreateTime:
      key = std::to_string(last.create_time);
      break;
    case DentryOrder::kSize:
      key = std::to_string(last.size);
      break;
    case DentryOrder::kName:
      key = HexEncode(last.name);
      break;
  }
  return std::string(1, OrderTag(order)) + "." + key + "." + last.id;
}

Result<Cursor> DecodeCursor(DentryOrder order, std::string_view token) {
  const Error bad = MakeError(Errc::kInvalidArgument, "nextToken", "nextToken is not valid");
  if (token.size() < 4 || token[0] != OrderTag(order) || token[1] != '.') return bad;
  token.remove_prefix(2);
  const size_t dot = token.find('.');
  if (dot == std::string_view::npos || dot + 1 == token.size()) return bad;
  Cursor c;
  const std::string_view key = token.substr(0, dot);
  c.id = std::string(token.substr(dot + 1));
  if (order == DentryOrder::kName) {
    bool ok = false;
    c.text = HexDecode(key, ok);
    if (!ok) return bad;
  } else {
    const auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), c.number);
    if (ec != std::errc() || p != key.data() + key.size()) return bad;
  }
  return c;
}

}  // namespace spacestore::domain
