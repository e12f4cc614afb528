#pragma once

namespace spacestore::domain {

// MemoryOnly marks the calling thread, for the object's scope, as one that must not wait for a
// store: an I/O thread trying to answer a hot read (GetSpace, GetDentries) from what is already
// in memory, to spare the request two thread switches. Inside the scope, a metadata store
// answers only from memory (SqliteMetadataStore's SpaceView); any call that would read the
// database it refuses with kUnavailable and records the refusal. The caller then discards what
// it computed and does the work again on a thread that may wait. So code run under MemoryOnly
// must have no effect beyond caches: its answer is either exact or thrown away.
//
// Thread-safety: thread-confined (the flags are thread_local); scopes do not nest.
class MemoryOnly {
 public:
  MemoryOnly() {
    Active() = true;
    Refused() = false;
  }
  ~MemoryOnly() { Active() = false; }
  MemoryOnly(const MemoryOnly&) = delete;
  MemoryOnly& operator=(const MemoryOnly&) = delete;

  // Whether something in the scope needed more than memory (its answer must be discarded).
  bool refused() const { return Refused(); }

  // Whether the calling thread is in a scope.
  static bool InScope() { return Active(); }
  // For stores: whether the calling thread is in a scope; if so, records the refusal the store
  // is about to return.
  static bool Refuse() {
    if (Active()) Refused() = true;
    return Active();
  }

 private:
  static bool& Active() {
    static thread_local bool active = false;
    return active;
  }
  static bool& Refused() {
    static thread_local bool refused = false;
    return refused;
  }
};

}  // namespace spacestore::domain
