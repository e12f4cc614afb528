#include "domain/placement.h"

#include "base/ids.h"

namespace spacestore::domain {
namespace {
constexpr int kMaxAutoRenames = 1000;
constexpr size_t kDentryIdDigits = 12;
constexpr size_t kUuidChars = 24;
}  // namespace

Dentry NewDentry(DentryType type, const std::string& space_id, const std::string& parent_id,
                 const Placement& placement, const std::string& acting_id, int64_t now) {
  Dentry d;
  d.id = RandomDigitsId(kDentryIdDigits);
  d.space_id = space_id;
  d.parent_id = parent_id;
  d.uuid = RandomAlnumId(kUuidChars);
  d.type = type;
  d.name = placement.name;
  d.path = placement.path;
  d.creator_id = acting_id;
  d.modifier_id = acting_id;
  d.create_time = now;
  d.modified_time = now;
  return d;
}

Result<Dentry> LiveDentry(Result<Dentry> lookup, std::string_view id) {
  if (lookup && lookup->status == DentryStatus::kNormal) return lookup;
  if (!lookup && lookup.error().code != Errc::kNotFound) return lookup;
  return MakeError(Errc::kNotFound, "dentry", "dentry " + std::string(id) + " not found");
}

Result<Dentry> LiveFolder(Result<Dentry> lookup, std::string_view id) {
  if (!lookup || lookup->status != DentryStatus::kNormal) {
    if (!lookup && lookup.error().code != Errc::kNotFound) return lookup;
    return MakeError(Errc::kNotFound, "parent", "folder " + std::string(id) + " not found");
  }
  if (!lookup->is_folder()) {
    return MakeError(Errc::kInvalidArgument, "parentId", std::string(id) + " is a file");
  }
  return lookup;
}

std::string AutoRenamed(const std::string& name, int n, bool is_folder) {
  const std::string ext = is_folder ? std::string() : FileExtension(name);
  const std::string stem = ext.empty() ? name : name.substr(0, name.size() - ext.size() - 1);
  return stem + " (" + std::to_string(n) + ")" + (ext.empty() ? "" : "." + ext);
}

Result<Placement> PlaceChild(MetadataTransaction& tx, const std::string& space_id,
                             const std::string& parent_id, const std::string& name,
                             ConflictStrategy strategy, DentryType type) {
  std::string parent_path;
  if (parent_id != kRootDentryId) {
    auto parent = LiveFolder(tx.dentries().Get(space_id, parent_id), parent_id);
    if (!parent) return parent.error();
    parent_path = parent->path;
  }
  auto existing = tx.dentries().FindChild(space_id, parent_id, name);
  if (!existing) return existing.error();
  Placement out{name, parent_path + "/" + name, std::nullopt};
  if (!*existing) return out;

  const Dentry& clash = **existing;
  const Error taken = MakeError(Errc::kAlreadyExists, "dentry",
                                "a file or folder named '" + name + "' already exists");
  switch (strategy) {
    case ConflictStrategy::kFail:
      return taken;
    case ConflictStrategy::kReturnExisting:
    case ConflictStrategy::kOverwrite:
      if (clash.type != type) return taken;  // A file and a folder are never merged.
      out.existing = clash;
      return out;
    case ConflictStrategy::kAutoRename:
      break;
  }
  for (int n = 1; n <= kMaxAutoRenames; ++n) {
    std::string candidate = AutoRenamed(name, n, type == DentryType::kFolder);
    auto other = tx.dentries().FindChild(space_id, parent_id, candidate);
    if (!other) return other.error();
    if (!*other) {
      out.path.assign(parent_path).append("/").append(candidate);
      out.name = std::move(candidate);
      return out;
    }
  }
  return taken;
}

}  // namespace spacestore::domain
