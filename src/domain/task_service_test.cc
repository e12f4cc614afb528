#include "domain/task_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "fake_clock.h"
#include "storage/metadata/memory/memory_metadata_store.h"

namespace spacestore::domain {
namespace {

class TaskServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.CreateOrg(Org{"corp1", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp1", "u1", 0}));
    ASSERT_TRUE(store_.CreateOrg(Org{"corp2", "c", int64_t{1} << 40, 0}));
    ASSERT_TRUE(store_.CreateUser(User{"u1", "corp2", "u1", 0}));
    Space s;
    s.id = "100";
    s.corp_id = "corp1";
    s.app_id = "app1";
    s.scene = "s";
    s.scene_id = "1";
    ASSERT_TRUE(store_.CreateSpace(s));
  }

  Result<Task> Submit(const std::string& kind, const std::string& params = "{}",
                      int64_t total = 3) {
    return store_.Write(
        [&](MetadataTransaction& tx) { return tasks_.Submit(tx, actor_, kind, params, total); });
  }

  Task Stored(const std::string& id) {
    auto t = store_.Read([&](MetadataTransaction& tx) { return tx.tasks().Get(id); });
    EXPECT_TRUE(t);
    return t ? *t : Task{};
  }

  // A folder named `name` at the root of space 100, as a handler's work.
  static Result<void> AddFolder(MetadataTransaction& tx, const std::string& id,
                                const std::string& name) {
    Dentry d;
    d.id = id;
    d.space_id = "100";
    d.parent_id = kRootDentryId;
    d.uuid = "u" + id;
    d.type = DentryType::kFolder;
    d.name = name;
    d.path = "/" + name;
    return tx.dentries().Insert(d);
  }

  storage::MemoryMetadataStore store_;
  testing::FakeClock clock_;
  TaskService tasks_{store_, clock_, TaskServiceOptions{.poll_interval_ms = 50, .on_finished = {}}};
  Actor actor_{"corp1", "app1", "u1"};
};

TEST_F(TaskServiceTest, SubmitInsertsAnInitTaskWithTheCaller) {
  auto task = Submit("copy", R"({"x":"y"})", 1500);
  ASSERT_TRUE(task);
  EXPECT_EQ(task->id.size(), 24u);
  const Task stored = Stored(task->id);
  EXPECT_EQ(stored.status, TaskStatus::kInit);
  EXPECT_EQ(stored.corp_id, "corp1");
  EXPECT_EQ(stored.app_id, "app1");
  EXPECT_EQ(stored.actor_id, "u1");
  EXPECT_EQ(stored.kind, "copy");
  EXPECT_EQ(stored.params, R"({"x":"y"})");
  EXPECT_EQ(stored.counts.total, 1500);
  EXPECT_EQ(stored.create_time, clock_.NowMillis());
}

TEST_F(TaskServiceTest, SubmitRolledBackLeavesNoTask) {
  std::string id;
  auto r = store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    auto task = tasks_.Submit(tx, actor_, "copy", "{}", 1);
    if (!task) return task.error();
    id = task->id;
    return MakeError(Errc::kQuotaExceeded, "space", "the request failed after submitting");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(tasks_.GetTask(actor_, id).error().code, Errc::kNotFound);
  int calls = 0;
  tasks_.Register("copy", [&](MetadataTransaction&, const Task&) -> Result<TaskCounts> {
    ++calls;
    return TaskCounts{};
  });
  EXPECT_EQ(tasks_.RunPending().value(), 0);
  EXPECT_EQ(calls, 0);
}

TEST_F(TaskServiceTest, RunsTheHandlerAndCommitsSuccessWithItsWork) {
  tasks_.Register("mkdir", [&](MetadataTransaction& tx, const Task& t) -> Result<TaskCounts> {
    EXPECT_EQ(t.status, TaskStatus::kInProgress);
    auto params = DecodeTaskParams(t.params);
    if (!params) return params.error();
    auto name = TaskParam(*params, "name");
    if (!name) return name.error();
    if (auto r = AddFolder(tx, "1", *name); !r) return r.error();
    return TaskCounts{t.counts.total, t.counts.total, 0};
  });
  auto task = Submit("mkdir", EncodeTaskParams({{"name", "made"}}), 1);
  ASSERT_TRUE(task);
  const int64_t submitted = clock_.NowMillis();
  clock_.AdvanceMillis(5000);
  EXPECT_EQ(tasks_.RunPending().value(), 1);
  const Task done = Stored(task->id);
  EXPECT_EQ(done.status, TaskStatus::kSucceeded);
  EXPECT_EQ(done.counts.total, 1);
  EXPECT_EQ(done.counts.success, 1);
  EXPECT_EQ(done.counts.fail, 0);
  EXPECT_FALSE(done.failure);
  EXPECT_EQ(done.create_time, submitted);
  EXPECT_EQ(done.begin_time, submitted + 5000);
  EXPECT_EQ(done.end_time, submitted + 5000);
  EXPECT_EQ(store_.GetDentry("100", "1")->name, "made");
  EXPECT_EQ(tasks_.RunPending().value(), 0);  // Finished tasks never run again.
}

TEST_F(TaskServiceTest, AFailedRunRollsBackWholeAndRecordsTheError) {
  tasks_.Register("half", [&](MetadataTransaction& tx, const Task&) -> Result<TaskCounts> {
    if (auto r = AddFolder(tx, "1", "first"); !r) return r.error();
    return MakeError(Errc::kQuotaExceeded, "space", "space 100 is full");
  });
  auto task = Submit("half");
  ASSERT_TRUE(task);
  EXPECT_EQ(tasks_.RunPending().value(), 1);
  const Task failed = Stored(task->id);
  EXPECT_EQ(failed.status, TaskStatus::kFailed);
  ASSERT_TRUE(failed.failure);
  EXPECT_EQ(failed.failure->code, Errc::kQuotaExceeded);
  EXPECT_EQ(failed.failure->subject, "space");
  EXPECT_EQ(failed.counts.total, 3);
  EXPECT_EQ(failed.counts.success, 0);
  EXPECT_EQ(failed.counts.fail, 3);
  EXPECT_GT(failed.end_time, 0);
  EXPECT_EQ(store_.GetDentry("100", "1").error().code, Errc::kNotFound);  // Not half done.
}

TEST_F(TaskServiceTest, UnknownKindAndThrowingHandlerFail) {
  tasks_.Register("throws", [](MetadataTransaction& tx, const Task&) -> Result<TaskCounts> {
    if (auto r = AddFolder(tx, "1", "first"); !r) return r.error();
    throw std::runtime_error("boom");
  });
  auto unknown = Submit("nobody-handles-this");
  auto throws = Submit("throws");
  ASSERT_TRUE(unknown && throws);
  EXPECT_EQ(tasks_.RunPending().value(), 2);
  EXPECT_EQ(Stored(unknown->id).status, TaskStatus::kFailed);
  EXPECT_EQ(Stored(unknown->id).failure->code, Errc::kInternal);
  EXPECT_EQ(Stored(throws->id).status, TaskStatus::kFailed);
  EXPECT_EQ(Stored(throws->id).failure->code, Errc::kInternal);
  EXPECT_EQ(store_.GetDentry("100", "1").error().code, Errc::kNotFound);
}

TEST_F(TaskServiceTest, ResumesATaskLeftInProgress) {
  // What a process killed during a run leaves behind: the task claimed, its work not committed.
  auto task = Submit("mkdir");
  ASSERT_TRUE(task);
  ASSERT_TRUE(store_.Transact([&](MetadataTransaction& tx) {
    Task t = *task;
    t.status = TaskStatus::kInProgress;
    t.begin_time = 1;
    return tx.tasks().Update(t);
  }));
  TaskService restarted(store_, clock_);
  restarted.Register("mkdir", [](MetadataTransaction& tx, const Task& t) -> Result<TaskCounts> {
    if (auto r = AddFolder(tx, "1", "resumed"); !r) return r.error();
    return TaskCounts{t.counts.total, t.counts.total, 0};
  });
  EXPECT_EQ(restarted.RunPending().value(), 1);
  const Task done = Stored(task->id);
  EXPECT_EQ(done.status, TaskStatus::kSucceeded);
  EXPECT_EQ(done.begin_time, 1);  // The first claim's time stays.
  EXPECT_EQ(store_.GetDentry("100", "1")->name, "resumed");
}

TEST_F(TaskServiceTest, RunnerThreadRunsSubmittedAndLeftoverTasks) {
  std::atomic<int> runs{0};
  auto handler = [&](MetadataTransaction&, const Task& t) -> Result<TaskCounts> {
    ++runs;
    return TaskCounts{t.counts.total, t.counts.total, 0};
  };
  tasks_.Register("noop", handler);
  auto leftover = Submit("noop");  // Submitted before the runner starts: resumed at Start.
  ASSERT_TRUE(leftover);
  std::atomic<int> notified{0};
  TaskService runner(store_, clock_,
                     TaskServiceOptions{.poll_interval_ms = 60000,
                                        .on_finished = [&](const Task&) { ++notified; }});
  runner.Register("noop", handler);
  runner.Start();
  auto fresh = store_.Write(
      [&](MetadataTransaction& tx) { return runner.Submit(tx, actor_, "noop", "{}", 1); });
  ASSERT_TRUE(fresh);
  // The poll interval is a minute: only Start's first pass and Submit's wake can run them.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline &&
         (!Stored(leftover->id).finished() || !Stored(fresh->id).finished())) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  runner.Stop();
  EXPECT_EQ(Stored(leftover->id).status, TaskStatus::kSucceeded);
  EXPECT_EQ(Stored(fresh->id).status, TaskStatus::kSucceeded);
  EXPECT_EQ(runs.load(), 2);
  EXPECT_EQ(notified.load(), 2);
  runner.Stop();  // Idempotent.
}

// Two nodes' runners on one store, each with its own lease handle on kTaskLease.
class TaskLeaseTest : public TaskServiceTest {
 protected:
  TaskService Runner(Lease& lease) {
    return TaskService(
        store_, clock_,
        TaskServiceOptions{.poll_interval_ms = 50, .on_finished = {}, .lease = &lease});
  }
  static TaskHandler Counting(std::atomic<int>& runs) {
    return [&runs](MetadataTransaction& tx, const Task& t) -> Result<TaskCounts> {
      ++runs;
      if (auto r = AddFolder(tx, "1", "made"); !r) return r.error();
      return TaskCounts{t.counts.total, t.counts.total, 0};
    };
  }
  // Waits up to 5 s of real time for task `id` to finish.
  Task Finished(const std::string& id) {
    for (int i = 0; i < 500 && !Stored(id).finished(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return Stored(id);
  }

  Lease dead_{store_, clock_, kTaskLease, "node-dead", LeaseOptions{.ttl_ms = 3000}};
  Lease live_{store_, clock_, kTaskLease, "node-live", LeaseOptions{.ttl_ms = 3000}};
};

TEST_F(TaskLeaseTest, ATaskLeftInProgressByADeadHolderIsResumedOnceByTheNext) {
  // The dead node took the lease and claimed the task, then died before its run committed.
  auto task = Submit("mkdir", "{}", 1);
  ASSERT_TRUE(task);
  ASSERT_TRUE(dead_.Acquire().value());
  Task claimed = *task;
  claimed.status = TaskStatus::kInProgress;
  ASSERT_TRUE(store_.Transact([&](MetadataTransaction& tx) { return tx.tasks().Update(claimed); }));
  std::atomic<int> runs{0};
  TaskService runner = Runner(live_);
  runner.Register("mkdir", Counting(runs));
  runner.Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(runs.load(), 0);  // The dead node's lease is still live.
  EXPECT_EQ(Stored(task->id).status, TaskStatus::kInProgress);
  clock_.AdvanceMillis(3000);
  const Task done = Finished(task->id);
  runner.Stop();
  EXPECT_EQ(done.status, TaskStatus::kSucceeded);
  EXPECT_EQ(runs.load(), 1);
  EXPECT_EQ(store_.GetDentry("100", "1")->name, "made");
}

TEST_F(TaskLeaseTest, AHolderWhoseLeaseWasTakenOverCannotClaimOrFinish) {
  auto task = Submit("mkdir", "{}", 1);
  ASSERT_TRUE(task);
  std::atomic<int> runs{0};
  TaskService fenced = Runner(dead_);
  fenced.Register("mkdir", Counting(runs));
  ASSERT_TRUE(dead_.Acquire().value());
  clock_.AdvanceMillis(3000);  // It paused past its lease, and another node took it.
  ASSERT_TRUE(live_.Acquire().value());
  auto ran = fenced.RunPending();
  ASSERT_FALSE(ran);
  EXPECT_TRUE(Lease::IsLost(ran.error()));
  EXPECT_EQ(runs.load(), 0);
  EXPECT_EQ(Stored(task->id).status, TaskStatus::kInit);
}

TEST_F(TaskLeaseTest, ATaskSubmittedWhileAnotherNodeRunsIsRunOnceThatNodeReleases) {
  ASSERT_TRUE(dead_.Acquire().value());  // Another node is in a pass.
  std::atomic<int> runs{0};
  TaskService runner = Runner(live_);
  runner.Register("mkdir", Counting(runs));
  runner.Start();
  auto task = Submit("mkdir", "{}", 1);  // Wakes this node's runner, which cannot run it yet.
  ASSERT_TRUE(task);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(Stored(task->id).status, TaskStatus::kInit);
  ASSERT_TRUE(dead_.Release());  // Its pass ended (before the task was committed).
  const Task done = Finished(task->id);
  runner.Stop();
  EXPECT_EQ(done.status, TaskStatus::kSucceeded);
  EXPECT_EQ(runs.load(), 1);
  // The pass gave the lease back.
  EXPECT_TRUE(dead_.Acquire().value());
}

TEST_F(TaskServiceTest, GetTaskOnlyForTheSubmittingOrgAndApp) {
  auto task = Submit("copy");
  ASSERT_TRUE(task);
  auto mine = tasks_.GetTask(actor_, task->id);
  ASSERT_TRUE(mine);
  EXPECT_EQ(mine->status, TaskStatus::kInit);
  // Another user of the same app sees it too: tasks belong to the app.
  ASSERT_TRUE(store_.CreateUser(User{"u2", "corp1", "u2", 0}));
  EXPECT_TRUE(tasks_.GetTask(Actor{"corp1", "app1", "u2"}, task->id));
  for (const Actor& other : {Actor{"corp1", "app2", "u1"}, Actor{"corp2", "app1", "u1"}}) {
    auto r = tasks_.GetTask(other, task->id);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, Errc::kNotFound);
    EXPECT_EQ(r.error().subject, "task");
  }
  EXPECT_EQ(tasks_.GetTask(actor_, "unknown").error().code, Errc::kNotFound);
  EXPECT_EQ(tasks_.GetTask(Actor{"corp1", "app1", "stranger"}, task->id).error().code,
            Errc::kPermissionDenied);
}

TEST(TaskParamsTest, RoundTripsAnyText) {
  const TaskParams params = {{"plain", "abc"},
                             {"quotes", "a\"b\\c/d"},
                             {"controls", std::string("\n\t\r\x01\x1f", 5)},
                             {"utf8", "é中😀"},
                             {"", ""}};
  const std::string text = EncodeTaskParams(params);
  EXPECT_EQ(text.find('\n'), std::string::npos);
  auto back = DecodeTaskParams(text);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, params);
  EXPECT_EQ(EncodeTaskParams({}), "{}");
  EXPECT_EQ(EncodeTaskParams({{"b", "2"}, {"a", "1"}}), R"({"a":"1","b":"2"})");
}

TEST(TaskParamsTest, DecodesStandardEscapesAndRefusesTheRest) {
  auto escaped = DecodeTaskParams(R"( { "a" : "\u00e9\ud83d\ude00\/\b" } )");
  ASSERT_TRUE(escaped);
  EXPECT_EQ(escaped->at("a"), "é😀/\b");
  for (const char* bad :
       {"", "[]", "{", R"({"a":1})", R"({"a":"b",})", R"({"a":"b"} x)", R"({"a":"b","a":"c"})",
        R"({"a":"\x"})", R"({"a":"\ud83d"})", R"({"a":"\u12"})", "{\"a\":\"\n\"}", R"({"a":"b)"}) {
    auto r = DecodeTaskParams(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().code, Errc::kInternal);
    EXPECT_EQ(r.error().subject, "task");
  }
  EXPECT_EQ(TaskParam({{"a", "1"}}, "b").error().code, Errc::kInternal);
  EXPECT_EQ(TaskParam({{"a", "1"}}, "a").value(), "1");
}

}  // namespace
}  // namespace spacestore::domain
