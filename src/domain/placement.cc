#include "domain/placement.h"

namespace spacestore::domain {
namespace {
constexpr int kMaxAutoRenames = 1000;
}  // namespace

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
    auto parent = tx.GetDentry(space_id, parent_id);
    if (!parent || parent->status != DentryStatus::kNormal) {
      if (!parent && parent.error().code != Errc::kNotFound) return parent.error();
      return MakeError(Errc::kNotFound, "parent", "parent folder " + parent_id + " not found");
    }
    if (!parent->is_folder()) {
      return MakeError(Errc::kInvalidArgument, "parentId", "parent " + parent_id + " is a file");
    }
    parent_path = parent->path;
  }
  auto existing = tx.FindChild(space_id, parent_id, name);
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
    auto other = tx.FindChild(space_id, parent_id, candidate);
    if (!other) return other.error();
    if (!*other) {
      out.path = parent_path + "/" + candidate;
      out.name = std::move(candidate);
      return out;
    }
  }
  return taken;
}

}  // namespace spacestore::domain
