#include "domain/recycle_item.h"

#include "base/crypto.h"

namespace spacestore::domain {
namespace {

Error NoSuchBin(std::string_view id) {
  return MakeError(Errc::kNotFound, "recycleBin", "recycle bin " + std::string(id) + " not found");
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

const char* RecycleScopeName(RecycleScope scope) {
  switch (scope) {
    case RecycleScope::kOrg:
      return "ORG";
    case RecycleScope::kApp:
      return "APP";
    case RecycleScope::kSpace:
      return "SPACE";
  }
  return "SPACE";
}

Result<RecycleScope> ParseRecycleScope(std::string_view name) {
  if (name == "ORG") return RecycleScope::kOrg;
  if (name == "APP") return RecycleScope::kApp;
  if (name == "SPACE") return RecycleScope::kSpace;
  return MakeError(Errc::kInvalidArgument, "recycleBinScope",
                   "recycleBinScope must be ORG, APP or SPACE");
}

std::string RecycleBin::id() const {
  const char* prefix = scope == RecycleScope::kOrg ? "o" : scope == RecycleScope::kApp ? "a" : "s";
  return prefix + HexEncode(scope_id);
}

Result<RecycleBin> DecodeRecycleBinId(std::string_view id) {
  if (id.size() < 3 || id.size() % 2 == 0) return NoSuchBin(id);
  RecycleBin bin;
  switch (id.front()) {
    case 'o':
      bin.scope = RecycleScope::kOrg;
      break;
    case 'a':
      bin.scope = RecycleScope::kApp;
      break;
    case 's':
      bin.scope = RecycleScope::kSpace;
      break;
    default:
      return NoSuchBin(id);
  }
  for (size_t i = 1; i < id.size(); i += 2) {
    const int hi = HexValue(id[i]);
    const int lo = HexValue(id[i + 1]);
    if (hi < 0 || lo < 0) return NoSuchBin(id);
    bin.scope_id.push_back(static_cast<char>(hi * 16 + lo));
  }
  return bin;
}

}  // namespace spacestore::domain
