// SpaceView: spaces held for one value of the database's write sequence.
#include "storage/metadata/sqlite/space_view.h"

namespace spacestore::storage::sqlite {

std::optional<domain::Space> SpaceView::Find(std::string_view corp_id, std::string_view space_id,
                                             uint64_t seq) const {
  ReaderMutexLock lock(mu_);
  if (seq != seq_) return std::nullopt;
  const auto it = spaces_.find(space_id);
  // Ids are unique across orgs; another org's space is read (and refused) by the store.
  if (it == spaces_.end() || it->second.corp_id != corp_id) return std::nullopt;
  return it->second;
}

void SpaceView::Put(uint64_t seq, const domain::Space& space) {
  // The retired spaces are freed after the lock is released: lookups do not wait for that.
  decltype(spaces_) retired;
  WriterMutexLock lock(mu_);
  if (seq < seq_) return;  // Read before a write this view already knows of.
  if (seq > seq_ || spaces_.size() >= max_spaces_) {
    retired.swap(spaces_);
    seq_ = seq;
  }
  spaces_.insert_or_assign(space.id, space);
}

}  // namespace spacestore::storage::sqlite
