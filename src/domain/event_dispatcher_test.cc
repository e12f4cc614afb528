#include "domain/event_dispatcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "domain/event_records.h"
#include "domain/identity_records.h"
#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

// Records each push and answers from a script: true delivers, false fails ("HTTP 503").
class ScriptedPusher final : public EventPusher {
 public:
  Result<void> Push(const App& app, const Event& event, int attempt) override {
    pushes.push_back({app.app_id, event.seq, attempt});
    const bool ok = answers.empty() ? true : answers.front();
    if (!answers.empty()) answers.erase(answers.begin());
    if (ok) return {};
    return MakeError(Errc::kUnavailable, "eventUrl", "HTTP 503");
  }
  struct Pushed {
    std::string app_id;
    int64_t seq;
    int attempt;
  };
  std::vector<Pushed> pushes;
  std::vector<bool> answers;
};

class EventDispatcherTest : public ::testing::Test {
 protected:
  static EventDispatcherOptions Options() {
    EventDispatcherOptions o;
    o.max_attempts = 3;
    o.backoff_base_ms = 1000;
    o.backoff_cap_ms = 1500;
    return o;
  }

  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "Corp", 1 << 30, 1}));
    ASSERT_TRUE(store_.CreateApp(App{"app1", "key1", "h", "corp1", "A", {}, {}, 1, 1, {}, {}}));
  }
  void SetUrl(const std::string& url) {
    ASSERT_TRUE(store_.Write([&](MetadataTransaction& tx) {
      return tx.identity().UpdateAppEvents("app1", url, "secret", 2);
    }));
  }
  void Subscribe() {
    ASSERT_TRUE(store_.Write([&](MetadataTransaction& tx) -> Result<void> {
      auto put = tx.events().PutSubscription(
          Subscription{"app1", EventScope::kOrg, "corp1", "corp1", clock_.NowMillis()});
      if (!put) return put.error();
      return {};
    }));
  }
  int64_t Append(const std::string& id) {
    Event e;
    e.corp_id = "corp1";
    e.event_id = id;
    e.type = std::string(kEventDentryCreated);
    e.space_id = "s1";
    e.dentry_id = id;
    e.operator_id = "u1";
    e.time = clock_.NowMillis();
    auto seq = store_.Write([&](MetadataTransaction& tx) { return tx.events().Append(e); });
    EXPECT_TRUE(seq);
    return seq ? *seq : -1;
  }
  EventDelivery Cursor() {
    auto d =
        store_.Snapshot([](MetadataTransaction& tx) { return tx.events().GetDelivery("app1"); });
    EXPECT_TRUE(d && d->has_value());
    return d && d->has_value() ? **d : EventDelivery{};
  }
  std::vector<DeadLetter> Letters() {
    return store_
        .Snapshot(
            [](MetadataTransaction& tx) { return tx.events().ListDeadLetters("app1", 0, 10); })
        .value();
  }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  ScriptedPusher pusher_;
  EventDispatcherOptions options_ = Options();
  EventDispatcher dispatcher_{store_, clock_, pusher_, options_};
};

TEST_F(EventDispatcherTest, BackoffDoublesUpToTheCap) {
  EventDispatcherOptions o;
  o.backoff_base_ms = 1000;
  o.backoff_cap_ms = 300000;
  EXPECT_EQ(EventDispatcher::BackoffMs(o, 1), 1000);
  EXPECT_EQ(EventDispatcher::BackoffMs(o, 2), 2000);
  EXPECT_EQ(EventDispatcher::BackoffMs(o, 7), 64000);
  EXPECT_EQ(EventDispatcher::BackoffMs(o, 9), 256000);
  EXPECT_EQ(EventDispatcher::BackoffMs(o, 10), 300000);
  EXPECT_EQ(EventDispatcher::BackoffMs(o, 1000), 300000);
}

TEST_F(EventDispatcherTest, AppWithoutUrlOrSubscriptionIsSkipped) {
  Append("e0");
  EXPECT_EQ(dispatcher_.DeliverApp("app1").value(), EventDispatcher::kIdle);  // No URL.
  SetUrl("http://127.0.0.1:9/hook");
  EXPECT_EQ(dispatcher_.DeliverApp("app1").value(), EventDispatcher::kIdle);  // No subscription.
  EXPECT_TRUE(pusher_.pushes.empty());
}

TEST_F(EventDispatcherTest, StartsAtTheCurrentSeqThenPushesInOrder) {
  Append("old");
  SetUrl("http://127.0.0.1:9/hook");
  Subscribe();
  EXPECT_EQ(dispatcher_.DeliverApp("app1").value(), EventDispatcher::kIdle);
  EXPECT_TRUE(pusher_.pushes.empty()) << "no backlog for a first subscription";
  const int64_t a = Append("a");
  const int64_t b = Append("b");
  EXPECT_EQ(dispatcher_.DeliverApp("app1").value(), EventDispatcher::kIdle);
  ASSERT_EQ(pusher_.pushes.size(), 2u);
  EXPECT_EQ(pusher_.pushes[0].seq, a);
  EXPECT_EQ(pusher_.pushes[1].seq, b);
  EXPECT_EQ(pusher_.pushes[0].attempt, 1);
  EXPECT_EQ(Cursor().delivered_seq, b);
}

TEST_F(EventDispatcherTest, FailuresBackOffThenDeadLetterAndDeliveryGoesOn) {
  SetUrl("http://127.0.0.1:9/hook");
  Subscribe();
  ASSERT_EQ(dispatcher_.DeliverApp("app1").value(), EventDispatcher::kIdle);
  const int64_t a = Append("a");
  const int64_t b = Append("b");
  pusher_.answers = {false, false, false, true};
  const int64_t start = clock_.NowMillis();
  EXPECT_EQ(dispatcher_.DeliverApp("app1").value(), start + 1000);
  EXPECT_EQ(Cursor().delivered_seq, a - 1) << "not moved by a failure";
  EXPECT_EQ(Cursor().attempts, 1);
  EXPECT_EQ(Cursor().last_error, "HTTP 503");
  // Not due yet: nothing is sent.
  EXPECT_EQ(dispatcher_.DeliverApp("app1").value(), start + 1000);
  EXPECT_EQ(pusher_.pushes.size(), 1u);
  clock_.AdvanceMillis(1000);
  EXPECT_EQ(dispatcher_.DeliverApp("app1").value(), start + 1000 + 1500);  // Capped at 1500.
  clock_.AdvanceMillis(1500);
  // The third failure dead-letters a; b goes out next and is delivered.
  EXPECT_EQ(dispatcher_.DeliverApp("app1").value(), EventDispatcher::kIdle);
  ASSERT_EQ(pusher_.pushes.size(), 4u);
  EXPECT_EQ(pusher_.pushes[2].seq, a);
  EXPECT_EQ(pusher_.pushes[2].attempt, 3);
  EXPECT_EQ(pusher_.pushes[3].seq, b);
  EXPECT_EQ(pusher_.pushes[3].attempt, 1);
  EXPECT_EQ(Cursor().delivered_seq, b);
  EXPECT_EQ(Cursor().attempts, 0);
  const auto letters = Letters();
  ASSERT_EQ(letters.size(), 1u);
  EXPECT_EQ(letters[0].seq, a);
  EXPECT_EQ(letters[0].attempts, 3);
  EXPECT_EQ(letters[0].last_error, "HTTP 503");
}

TEST_F(EventDispatcherTest, ALostLeaseMovesNoCursor) {
  Lease mine(store_, clock_, kEventLease, "node-a", LeaseOptions{.ttl_ms = 3000});
  Lease other(store_, clock_, kEventLease, "node-b", LeaseOptions{.ttl_ms = 3000});
  EventDispatcherOptions options = options_;
  options.lease = &mine;
  EventDispatcher fenced(store_, clock_, pusher_, options);
  SetUrl("http://127.0.0.1:9/hook");
  Subscribe();
  ASSERT_TRUE(other.Acquire().value());
  auto r = fenced.DeliverApp("app1");
  ASSERT_FALSE(r);
  EXPECT_TRUE(Lease::IsLost(r.error()));
  auto d = store_.Snapshot([](MetadataTransaction& tx) { return tx.events().GetDelivery("app1"); });
  EXPECT_FALSE(d.value().has_value());
}

TEST_F(EventDispatcherTest, ThreadsDeliverAfterAWake) {
  SetUrl("http://127.0.0.1:9/hook");
  Subscribe();
  ASSERT_EQ(dispatcher_.DeliverApp("app1").value(), EventDispatcher::kIdle);
  Append("a");
  dispatcher_.Start();
  dispatcher_.Wake();
  for (int i = 0; i < 1000 && Cursor().delivered_seq < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  dispatcher_.Stop();
  EXPECT_EQ(Cursor().delivered_seq, 1);
}

// Counts the readings of a fake clock: a busy loop reads it without end.
class CountingClock final : public Clock {
 public:
  explicit CountingClock(const Clock& clock) : clock_(clock) {}
  int64_t NowMillis() const override {
    ++reads;
    return clock_.NowMillis();
  }
  mutable std::atomic<int64_t> reads{0};

 private:
  const Clock& clock_;
};

TEST_F(EventDispatcherTest, ALostLeaseWaitsAPollIntervalRatherThanSpinning) {
  CountingClock clock(clock_);
  Lease mine(store_, clock, kEventLease, "node-a", LeaseOptions{.ttl_ms = 3000});
  Lease other(store_, clock, kEventLease, "node-b", LeaseOptions{.ttl_ms = 3000});
  EventDispatcherOptions options = options_;
  options.lease = &mine;
  options.poll_interval_ms = 3'600'000;
  EventDispatcher dispatcher(store_, clock, pusher_, options);
  SetUrl("http://127.0.0.1:9/hook");
  Subscribe();
  ASSERT_TRUE(mine.Acquire().value());
  ASSERT_EQ(dispatcher.DeliverApp("app1").value(), EventDispatcher::kIdle);
  Append("a");
  pusher_.answers = {false};  // The push fails: this node keeps a backoff for app1.
  dispatcher.Start();
  for (int i = 0; i < 1000 && Cursor().attempts < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(Cursor().attempts, 1);
  // Another node takes the lease over; this node's backoff falls due meanwhile.
  clock_.AdvanceMillis(4000);
  ASSERT_TRUE(other.Acquire().value());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  clock.reads = 0;
  dispatcher.Wake();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const int64_t reads = clock.reads;
  dispatcher.Stop();
  // One pass (renewal refused) then the poll interval's wait: a few readings, not a busy loop.
  EXPECT_LT(reads, 100);
}

}  // namespace
}  // namespace spacestore::domain
