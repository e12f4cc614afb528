// BatchItemCache: GetDentries result items kept as text per immutable dentry object.
#include "api/dingtalk_v1/batch_item_cache.h"

#include <utility>

namespace spacestore::api::dingtalk_v1 {

bool BatchItemCache::WriteTo(server::JsonWriter& w, const domain::Dentry& dentry,
                             std::string_view viewer_app_id) const {
  ReaderMutexLock lock(mu_);
  const auto it = entries_.find(&dentry);
  if (it == entries_.end() || it->second.viewer_app_id != viewer_app_id) return false;
  w.Raw(it->second.text);
  return true;
}

void BatchItemCache::Put(std::shared_ptr<const domain::Dentry> dentry,
                         std::string_view viewer_app_id, std::string text) {
  const size_t size = text.size() + viewer_app_id.size();
  if (size > max_bytes_) return;
  WriterMutexLock lock(mu_);
  if (bytes_ + size > max_bytes_) {
    entries_.clear();  // A cache: start over rather than track use.
    bytes_ = 0;
  }
  const domain::Dentry* key = dentry.get();
  auto [it, inserted] =
      entries_.try_emplace(key, Entry{std::move(dentry), std::string(viewer_app_id), {}});
  if (!inserted) bytes_ -= it->second.text.size() + it->second.viewer_app_id.size();
  it->second.viewer_app_id = std::string(viewer_app_id);
  it->second.text = std::move(text);
  bytes_ += size;
}

}  // namespace spacestore::api::dingtalk_v1
