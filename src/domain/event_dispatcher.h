#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "base/mutex.h"
#include "base/result.h"
#include "base/thread_annotations.h"
#include "domain/event_pusher.h"
#include "domain/lease.h"
#include "domain/metadata_store.h"

namespace spacestore::domain {

struct EventDispatcherOptions {
  // Failed attempts after which an event goes to the app's dead letters and delivery moves on
  // to the next one. REQUIRES: >= 1. Default: 8.
  int max_attempts = 8;
  // The wait after the first failed attempt, in milliseconds; each further failure doubles it.
  // Default: 1000.
  int64_t backoff_base_ms = 1000;
  // The longest wait between two attempts, in milliseconds. Default: 300000 (5 minutes).
  int64_t backoff_cap_ms = 300000;
  // How often an idle dispatcher looks for events that other nodes appended (events appended
  // through this process wake it at once), in milliseconds. Default: 1000.
  int64_t poll_interval_ms = 1000;
  // Apps delivered to at once, each by its own thread, so a slow receiver delays only its
  // own app. Default: 4.
  int workers = 4;
  // Events pushed to one app before the worker lets other apps have their turn. Default: 100.
  int batch = 100;
  // When set, delivery runs only while this process holds it, and every cursor write checks
  // it (a node taken over cannot move a cursor). Borrowed. Default: none (one node).
  Lease* lease = nullptr;
  // Told of each event moved to the dead letters, and of each failed delivery pass (a store
  // error, not a receiver's), for the log. Called on a worker thread. Default: none.
  std::function<void(const DeadLetter&)> on_dead_letter;
  std::function<void(std::string_view app_id, const Error&)> on_error;
};

// EventDispatcher pushes each app's subscribed events to its event URL (docs/events.md, "Push
// delivery", "Retries and dead letters"), at least once and in seq order per app.
//
// The state is the store's, not the process's: per app one cursor (EventRecords::GetDelivery:
// the last seq delivered or dead-lettered, the failed attempts of the next event and when it
// is due), advanced in a metadata transaction only after the receiver answered 2xx, so a
// process killed between a change and its delivery (or between a 2xx and the cursor write)
// sends the event again after its restart. An app is pushed to when it has an event URL and at
// least one subscription; its cursor starts at its org's last seq when delivery first sees
// it, so a first subscription gets no backlog. After `max_attempts` failures the event goes to
// the app's dead letters and the cursor moves past it.
//
// Threads: one scheduler thread picks the apps that are due and hands each to one of
// `workers` threads; an app is never on two workers, so its events go out one at a time, in
// order. Wake() (called after this process commits a write) and the poll interval make idle
// apps due; an app that failed waits for its backoff.
//
// Thread-safety: thread-safe. Borrows the store, clock and pusher, which must outlive it; owns
// its threads (Stop joins them).
class EventDispatcher {
 public:
  EventDispatcher(MetadataStore& store, const Clock& clock, EventPusher& pusher,
                  EventDispatcherOptions options = {});
  ~EventDispatcher();
  EventDispatcher(const EventDispatcher&) = delete;
  EventDispatcher& operator=(const EventDispatcher&) = delete;

  // Starts the scheduler and the workers. Once only.
  void Start();
  // Stops taking new work, lets each worker finish the push it is in, joins the threads and
  // releases the lease. Idempotent.
  void Stop();
  // Makes every app that is not waiting for a backoff due now.
  void Wake();

  // What DeliverApp returns when an app has nothing to send until a new event arrives.
  static constexpr int64_t kIdle = std::numeric_limits<int64_t>::max();

  // Delivers what is due for app `app_id` on the calling thread: pushes its events in order
  // until it is caught up (kIdle), an attempt fails (the epoch millis its retry is due), or
  // `batch` events were pushed (0: due again at once). An app without an event URL or
  // subscriptions is kIdle. kConflict (subject "lease") if the lease was lost; errors of the
  // store.
  Result<int64_t> DeliverApp(std::string_view app_id);

  // The wait after `failures` failed attempts (>= 1): base * 2^(failures-1), at most the cap.
  static int64_t BackoffMs(const EventDispatcherOptions& options, int64_t failures);

 private:
  struct AppState;
  // The app, its subscriptions and cursor, and the next events after the cursor, read in one
  // snapshot; nullopt when the app is not pushed to.
  Result<std::optional<AppState>> ReadApp(std::string_view app_id);
  // Writes the app's cursor if it still is `expected` (the lease checked): false when another
  // writer moved it first. `letter`, when set, is stored in the same transaction.
  Result<bool> MoveCursor(const EventDelivery& expected, const EventDelivery& next,
                          const DeadLetter* letter);
  // The ids of the apps with an event URL.
  Result<std::vector<std::string>> PushedApps();
  void SchedulerLoop();
  void WorkerLoop();
  void Finished(const std::string& app_id, const Result<int64_t>& due);

  MetadataStore& store_;
  const Clock& clock_;
  EventPusher& pusher_;
  const EventDispatcherOptions options_;

  Mutex mu_;
  CondVar scheduler_cv_;
  CondVar worker_cv_;
  bool woken_ GUARDED_BY(mu_) = false;
  bool stopping_ GUARDED_BY(mu_) = false;
  std::deque<std::string> queue_ GUARDED_BY(mu_);            // Due apps waiting for a worker.
  std::set<std::string, std::less<>> busy_ GUARDED_BY(mu_);  // Queued or on a worker.
  // When each app that failed is due again (epoch millis); absent: due whenever woken.
  std::map<std::string, int64_t, std::less<>> retry_at_ GUARDED_BY(mu_);
  std::vector<std::thread> threads_;  // Touched only by Start and Stop (the owner's thread).
};

}  // namespace spacestore::domain
