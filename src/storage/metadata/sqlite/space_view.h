#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/shared_mutex.h"
#include "base/thread_annotations.h"
#include "domain/space.h"

namespace spacestore::storage::sqlite {

// SpaceView holds spaces as the database last gave them, each good for exactly one value of
// the database's WriteSeq: the value read before the row was. GetSpace runs on every request
// that names a space, and reading one row through SQLite cost about a third of GetSpace; with
// the view, a server answers it from memory while nothing writes.
//
// Why it is exact: a space is put only when the WriteSeq was even before the read and unchanged
// after it (no commit meanwhile), and found only while the WriteSeq still has that value. Any
// commit, by any process on the file, moves the value on and so retires the whole view at
// once. A view is never the source of truth: writes read the database in their transactions.
//
// Memory: only spaces read since the last write, at most `max_spaces` of them (past that it
// starts over).
// Thread-safety: thread-safe; lookups share a lock.
class SpaceView {
 public:
  explicit SpaceView(size_t max_spaces = 100000) : max_spaces_(max_spaces) {}

  // Space `space_id` of org `corp_id`, if held for sequence value `seq`.
  std::optional<domain::Space> Find(std::string_view corp_id, std::string_view space_id,
                                    uint64_t seq) const;
  // Holds `space`, read while the sequence stood at `seq` (even, unchanged across the read).
  void Put(uint64_t seq, const domain::Space& space);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  const size_t max_spaces_;
  mutable SharedMutex mu_;
  uint64_t seq_ GUARDED_BY(mu_) = 0;  // The value every held space was read at.
  std::unordered_map<std::string, domain::Space, Hash, std::equal_to<>> spaces_ GUARDED_BY(mu_);
};

}  // namespace spacestore::storage::sqlite
