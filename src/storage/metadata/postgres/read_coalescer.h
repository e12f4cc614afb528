#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "base/mutex.h"
#include "base/result.h"

namespace spacestore::storage::pg {

// ReadCoalescer turns concurrent point reads into batches: each caller queues its key; while
// fewer than `max_in_flight` batches run, a caller takes every key queued so far (at most
// `max_batch`) and answers all of them with one `fetch`; otherwise it waits to be answered.
// Why: on a shared database a point read costs a round trip and a statement on the server
// whatever its size, so under load one statement for many keys is far cheaper than one each.
//
// Exactness: a batch is taken from the queue before its fetch starts, so every answer was read
// after its caller asked. A read never joins a batch already running, so it never gets a
// snapshot older than its call (a write answered before the call is always seen).
//
// `fetch(keys)` returns one answer per key, in order; it runs on the calling thread with no
// lock held. Owns nothing but its queue; callers' keys live on their own stacks.
// Thread-safety: thread-safe.
template <class Key, class Value>
class ReadCoalescer {
 public:
  using Fetch = std::function<std::vector<Result<Value>>(const std::vector<Key>&)>;

  ReadCoalescer(Fetch fetch, int max_in_flight, size_t max_batch)
      : fetch_(std::move(fetch)), max_in_flight_(max_in_flight), max_batch_(max_batch) {}

  Result<Value> Get(Key key) {
    Waiter self{std::move(key), std::nullopt};
    mu_.Lock();
    queue_.push_back(&self);
    while (!self.answer) {
      if (in_flight_ >= max_in_flight_ || queue_.empty()) {
        cv_.Wait(mu_);
        continue;
      }
      const size_t n = std::min(queue_.size(), max_batch_);
      std::vector<Waiter*> batch(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
      ++in_flight_;
      mu_.Unlock();
      std::vector<Key> keys;
      keys.reserve(n);
      for (const Waiter* w : batch) keys.push_back(w->key);
      std::vector<Result<Value>> answers;
      try {
        answers = fetch_(keys);
      } catch (const std::exception&) {
        // Answered below as failed reads (bad_alloc): no waiter may be left waiting.
      }
      mu_.Lock();
      for (size_t i = 0; i < n; ++i) {
        batch[i]->answer = i < answers.size()
                               ? std::move(answers[i])
                               : Result<Value>(MakeError(Errc::kInternal, "", "batch read failed"));
      }
      --in_flight_;
      cv_.SignalAll();
    }
    mu_.Unlock();
    return std::move(*self.answer);
  }

 private:
  struct Waiter {
    Key key;
    std::optional<Result<Value>> answer;
  };

  const Fetch fetch_;
  const int max_in_flight_;
  const size_t max_batch_;
  Mutex mu_;
  CondVar cv_;  // Signalled when a batch is answered (a slot is free, answers are in).
  std::vector<Waiter*> queue_ GUARDED_BY(mu_);
  int in_flight_ GUARDED_BY(mu_) = 0;
};

}  // namespace spacestore::storage::pg
