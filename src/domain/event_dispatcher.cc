// EventDispatcher: a scheduler thread and a few workers over the apps' delivery cursors.
//
// Each push is read -> send -> write: the app's state and next events are read in one snapshot,
// the events are sent with no transaction open (a receiver may take seconds), and each outcome
// is written in its own transaction that first checks the cursor is still the one read (and
// the lease), so a concurrent writer or a node that took over is never overwritten. Holding a
// transaction across the HTTP call was rejected: it would hold SQLite's write lock, or a
// PostgreSQL row lock, for as long as the slowest receiver takes.
#include "domain/event_dispatcher.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "domain/event_records.h"
#include "domain/identity_records.h"

namespace spacestore::domain {

struct EventDispatcher::AppState {
  App app;
  EventDelivery cursor;
  bool cursor_stored = false;  // false: no cursor yet; `cursor` starts at the org's last seq.
  bool subscribed = false;     // Whether the app has a subscription.
  int64_t last_seq = 0;
  std::vector<Event> events;  // After the cursor, in seq order, at most `batch`.
};

EventDispatcher::EventDispatcher(MetadataStore& store, const Clock& clock, EventPusher& pusher,
                                 EventDispatcherOptions options)
    : store_(store), clock_(clock), pusher_(pusher), options_(std::move(options)) {}

EventDispatcher::~EventDispatcher() { Stop(); }

int64_t EventDispatcher::BackoffMs(const EventDispatcherOptions& options, int64_t failures) {
  int64_t wait = std::max<int64_t>(options.backoff_base_ms, 1);
  for (int64_t i = 1; i < failures && wait < options.backoff_cap_ms; ++i) wait *= 2;
  return std::min(wait, options.backoff_cap_ms);
}

Result<std::optional<EventDispatcher::AppState>> EventDispatcher::ReadApp(std::string_view app_id) {
  return store_.Snapshot([&](MetadataTransaction& tx) -> Result<std::optional<AppState>> {
    auto app = tx.identity().GetApp(app_id);
    if (!app) return app.error();
    if (app->event_url.empty()) return std::optional<AppState>();
    auto& events = tx.events();
    auto subscriptions = events.ListSubscriptions(app_id);
    if (!subscriptions) return subscriptions.error();
    AppState state;
    state.subscribed = !subscriptions->empty();
    auto last = events.LastSeq(app->corp_id);
    if (!last) return last.error();
    state.last_seq = *last;
    auto cursor = events.GetDelivery(app_id);
    if (!cursor) return cursor.error();
    state.cursor_stored = cursor->has_value();
    state.cursor = cursor->value_or(EventDelivery{.app_id = app->app_id,
                                                  .delivered_seq = *last,
                                                  .attempts = 0,
                                                  .next_attempt_at = 0,
                                                  .last_error = ""});
    if (state.cursor_stored && state.subscribed) {
      auto next = events.List(app->corp_id, state.cursor.delivered_seq,
                              EventFilter::Of(*subscriptions), options_.batch);
      if (!next) return next.error();
      state.events = std::move(*next);
    }
    state.app = std::move(*app);
    return std::optional<AppState>(std::move(state));
  });
}

Result<bool> EventDispatcher::MoveCursor(const EventDelivery& expected, const EventDelivery& next,
                                         const DeadLetter* letter) {
  return store_.Write([&](MetadataTransaction& tx) -> Result<bool> {
    if (options_.lease != nullptr) {
      if (auto held = options_.lease->Check(tx); !held) return held.error();
    }
    auto& events = tx.events();
    auto current = events.GetDelivery(expected.app_id);
    if (!current) return current.error();
    const bool unchanged = current->has_value()
                               ? (*current)->delivered_seq == expected.delivered_seq &&
                                     (*current)->attempts == expected.attempts
                               : expected.delivered_seq == next.delivered_seq &&
                                     expected.attempts == 0 && letter == nullptr;
    if (!unchanged) return false;
    if (letter != nullptr) {
      if (auto r = events.PutDeadLetter(*letter); !r) return r.error();
    }
    if (auto r = events.PutDelivery(next); !r) return r.error();
    return true;
  });
}

Result<int64_t> EventDispatcher::DeliverApp(std::string_view app_id) {
  auto read = ReadApp(app_id);
  if (!read) return read.error();
  if (!*read) return kIdle;
  AppState& state = **read;
  const int64_t now = clock_.NowMillis();
  if (!state.cursor_stored) {
    // First sight of a pushed app (its URL was set before this version made cursors there):
    // its delivery starts at the org's current seq.
    auto moved = MoveCursor(state.cursor, state.cursor, nullptr);
    if (!moved) return moved.error();
    return kIdle;
  }
  if (state.cursor.next_attempt_at > now) return state.cursor.next_attempt_at;
  if (state.events.empty()) {
    // Nothing subscribed after the cursor up to the org's last seq: skip the rest, so the next
    // listing starts from there rather than rescanning other scopes' events. An app with a
    // URL and no subscription follows the log's head the same way, so its first subscription
    // gets no backlog.
    if (state.last_seq > state.cursor.delivered_seq && state.cursor.attempts == 0) {
      EventDelivery next = state.cursor;
      next.delivered_seq = state.last_seq;
      if (auto moved = MoveCursor(state.cursor, next, nullptr); !moved) return moved.error();
    }
    return kIdle;
  }
  EventDelivery cursor = state.cursor;
  for (const Event& event : state.events) {
    const int attempt = static_cast<int>(cursor.attempts) + 1;
    auto pushed = pusher_.Push(state.app, event, attempt);
    EventDelivery next{.app_id = cursor.app_id,
                       .delivered_seq = event.seq,
                       .attempts = 0,
                       .next_attempt_at = 0,
                       .last_error = ""};
    std::optional<DeadLetter> letter;
    if (!pushed) {
      if (attempt < options_.max_attempts) {
        next.delivered_seq = cursor.delivered_seq;
        next.attempts = attempt;
        next.next_attempt_at = clock_.NowMillis() + BackoffMs(options_, attempt);
        next.last_error = pushed.error().message;
      } else {
        letter = DeadLetter{.app_id = cursor.app_id,
                            .seq = event.seq,
                            .corp_id = event.corp_id,
                            .attempts = attempt,
                            .last_error = pushed.error().message,
                            .dead_time = clock_.NowMillis()};
      }
    }
    auto moved = MoveCursor(cursor, next, letter ? &*letter : nullptr);
    if (!moved) return moved.error();
    if (!*moved) return 0;  // Someone else moved the cursor: read it again.
    if (letter && options_.on_dead_letter) options_.on_dead_letter(*letter);
    if (next.attempts > 0) return next.next_attempt_at;
    cursor = next;
  }
  return static_cast<int>(state.events.size()) >= options_.batch ? 0 : kIdle;
}

Result<std::vector<std::string>> EventDispatcher::PushedApps() {
  return store_.Snapshot([&](MetadataTransaction& tx) -> Result<std::vector<std::string>> {
    auto apps = tx.identity().ListApps("");
    if (!apps) return apps.error();
    std::vector<std::string> ids;
    for (const App& app : *apps) {
      if (!app.event_url.empty()) ids.push_back(app.app_id);
    }
    return ids;
  });
}

// ---- Threads ----

void EventDispatcher::Start() {
  {
    MutexLock lock(mu_);
    stopping_ = false;
    woken_ = true;  // The first pass sends whatever an earlier process left undelivered.
  }
  threads_.emplace_back([this] { SchedulerLoop(); });
  for (int i = 0; i < std::max(options_.workers, 1); ++i) {
    threads_.emplace_back([this] { WorkerLoop(); });
  }
}

void EventDispatcher::Stop() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
    scheduler_cv_.SignalAll();
    worker_cv_.SignalAll();
  }
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
  // Another node takes delivery over at once rather than a lease later.
  if (options_.lease != nullptr) (void)options_.lease->Release();
}

void EventDispatcher::Wake() {
  MutexLock lock(mu_);
  woken_ = true;
  scheduler_cv_.Signal();
}

void EventDispatcher::SchedulerLoop() {
  // Without the lease or the app list, wait a whole poll interval: the backoffs this node kept
  // fall due meanwhile and would otherwise turn the wait into a busy loop. They are hints only
  // (each cursor's next attempt is stored), so forgetting them loses nothing.
  const auto skip_pass = [this] {
    MutexLock lock(mu_);
    retry_at_.clear();
  };
  for (;;) {
    {
      MutexLock lock(mu_);
      if (!woken_ && !stopping_) {
        int64_t wait = options_.poll_interval_ms;
        const int64_t now = clock_.NowMillis();
        for (const auto& [app, at] : retry_at_) wait = std::min(wait, at - now);
        if (wait > 0) scheduler_cv_.WaitFor(mu_, std::chrono::milliseconds(wait));
      }
      if (stopping_) return;
      woken_ = false;
    }
    if (options_.lease != nullptr) {
      auto held = options_.lease->Renew();
      if (!held || !*held) {  // Another node delivers; poll again after the interval.
        skip_pass();
        continue;
      }
    }
    auto apps = PushedApps();
    if (!apps) {
      if (options_.on_error) options_.on_error("", apps.error());
      skip_pass();
      continue;
    }
    MutexLock lock(mu_);
    const int64_t now = clock_.NowMillis();
    // Forget the backoff of apps no longer pushed to (their URL was cleared).
    std::erase_if(retry_at_, [&](const auto& entry) {
      return std::find(apps->begin(), apps->end(), entry.first) == apps->end();
    });
    for (auto& app : *apps) {
      auto retry = retry_at_.find(app);
      if (retry != retry_at_.end() && retry->second > now) continue;
      if (!busy_.insert(app).second) continue;
      if (retry != retry_at_.end()) retry_at_.erase(retry);
      queue_.push_back(std::move(app));
      worker_cv_.Signal();
    }
  }
}

void EventDispatcher::WorkerLoop() {
  for (;;) {
    std::string app_id;
    {
      MutexLock lock(mu_);
      while (queue_.empty() && !stopping_) worker_cv_.Wait(mu_);
      if (stopping_) return;
      app_id = std::move(queue_.front());
      queue_.pop_front();
    }
    Finished(app_id, DeliverApp(app_id));
  }
}

void EventDispatcher::Finished(const std::string& app_id, const Result<int64_t>& due) {
  if (!due && options_.on_error && !Lease::IsLost(due.error())) {
    options_.on_error(app_id, due.error());
  }
  MutexLock lock(mu_);
  busy_.erase(app_id);
  // A store error waits a poll interval, like an app whose receiver failed.
  const int64_t at = due ? *due : clock_.NowMillis() + options_.poll_interval_ms;
  if (at == kIdle) {
    retry_at_.erase(app_id);
  } else {
    retry_at_.insert_or_assign(app_id, at);
    // The scheduler may be waiting out a whole poll interval: make it count this retry in.
    if (at <= clock_.NowMillis()) woken_ = true;  // More events are waiting: at once.
    scheduler_cv_.Signal();
  }
}

}  // namespace spacestore::domain
