// The task aggregate on every backend: insert, read, progress updates, the unfinished list and
// rollback with the transaction.
#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

using domain::Task;
using domain::TaskStatus;

Task MakeTask(const std::string& id, int64_t create_time) {
  Task t;
  t.id = id;
  t.corp_id = "corp1";
  t.app_id = "app1";
  t.actor_id = "u1";
  t.kind = "copy";
  t.params = R"({"a":"b \"q\" \\ é"})";
  t.counts.total = 1001;
  t.create_time = create_time;
  return t;
}

template <class Factory>
class TaskContract : public MetadataStoreContract<Factory> {
 protected:
  Result<void> Insert(const Task& t) {
    return this->store_->Transact(
        [&](domain::MetadataTransaction& tx) { return tx.tasks().Insert(t); });
  }
  Result<Task> Get(const std::string& id) {
    return this->store_->Read([&](domain::MetadataTransaction& tx) { return tx.tasks().Get(id); });
  }
  std::vector<std::string> Unfinished(int limit) {
    auto list = this->store_->Read(
        [&](domain::MetadataTransaction& tx) { return tx.tasks().ListUnfinished(limit); });
    EXPECT_TRUE(list);
    std::vector<std::string> ids;
    for (const auto& t : *list) ids.push_back(t.id);
    return ids;
  }
};
TYPED_TEST_SUITE(TaskContract, Backends);

TYPED_TEST(TaskContract, InsertsAndReadsBackEveryField) {
  ASSERT_TRUE(this->Insert(MakeTask("t1", 500)));
  auto t = this->Get("t1");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->corp_id, "corp1");
  EXPECT_EQ(t->app_id, "app1");
  EXPECT_EQ(t->actor_id, "u1");
  EXPECT_EQ(t->kind, "copy");
  EXPECT_EQ(t->params, R"({"a":"b \"q\" \\ é"})");
  EXPECT_EQ(t->status, TaskStatus::kInit);
  EXPECT_EQ(t->counts.total, 1001);
  EXPECT_EQ(t->counts.success, 0);
  EXPECT_FALSE(t->failure);
  EXPECT_EQ(t->create_time, 500);
  EXPECT_EQ(t->begin_time, 0);
  EXPECT_EQ(t->end_time, 0);
}

TYPED_TEST(TaskContract, MissingAndDuplicateIds) {
  EXPECT_EQ(this->Get("nope").error().code, Errc::kNotFound);
  EXPECT_EQ(this->Get("nope").error().subject, "task");
  ASSERT_TRUE(this->Insert(MakeTask("t1", 500)));
  auto again = this->Insert(MakeTask("t1", 600));
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, Errc::kAlreadyExists);
  EXPECT_EQ(again.error().subject, "task");
  auto update = this->store_->Transact(
      [](domain::MetadataTransaction& tx) { return tx.tasks().Update(MakeTask("nope", 1)); });
  ASSERT_FALSE(update);
  EXPECT_EQ(update.error().code, Errc::kNotFound);
}

TYPED_TEST(TaskContract, UpdateRewritesProgressOnly) {
  ASSERT_TRUE(this->Insert(MakeTask("t1", 500)));
  Task t = MakeTask("t1", 500);
  t.kind = "changed";  // Not a progress field: kept as inserted.
  t.params = "{}";
  t.status = TaskStatus::kFailed;
  t.counts = {1001, 0, 1001};
  t.failure = MakeError(Errc::kQuotaExceeded, "space", "space 1 is full");
  t.begin_time = 700;
  t.end_time = 900;
  ASSERT_TRUE(this->store_->Transact(
      [&](domain::MetadataTransaction& tx) { return tx.tasks().Update(t); }));
  auto read = this->Get("t1");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->kind, "copy");
  EXPECT_EQ(read->params, R"({"a":"b \"q\" \\ é"})");
  EXPECT_EQ(read->status, TaskStatus::kFailed);
  EXPECT_EQ(read->counts.fail, 1001);
  ASSERT_TRUE(read->failure);
  EXPECT_EQ(read->failure->code, Errc::kQuotaExceeded);
  EXPECT_EQ(read->failure->subject, "space");
  EXPECT_EQ(read->failure->message, "space 1 is full");
  EXPECT_EQ(read->begin_time, 700);
  EXPECT_EQ(read->end_time, 900);

  t.status = TaskStatus::kSucceeded;  // A failure can be cleared again (not used, but exact).
  t.failure.reset();
  ASSERT_TRUE(this->store_->Transact(
      [&](domain::MetadataTransaction& tx) { return tx.tasks().Update(t); }));
  EXPECT_FALSE(this->Get("t1")->failure);
}

TYPED_TEST(TaskContract, UnfinishedAreOldestFirstAndSkipFinished) {
  ASSERT_TRUE(this->Insert(MakeTask("late", 900)));
  ASSERT_TRUE(this->Insert(MakeTask("early", 100)));
  ASSERT_TRUE(this->Insert(MakeTask("same-b", 500)));
  ASSERT_TRUE(this->Insert(MakeTask("same-a", 500)));  // Same time: insertion order.
  ASSERT_TRUE(this->Insert(MakeTask("done", 50)));
  ASSERT_TRUE(this->Insert(MakeTask("failed", 60)));
  ASSERT_TRUE(this->store_->Transact([](domain::MetadataTransaction& tx) -> Result<void> {
    Task done = MakeTask("done", 50);
    done.status = TaskStatus::kSucceeded;
    if (auto r = tx.tasks().Update(done); !r) return r;
    Task failed = MakeTask("failed", 60);
    failed.status = TaskStatus::kFailed;
    failed.failure = MakeError(Errc::kInternal, "", "x");
    if (auto r = tx.tasks().Update(failed); !r) return r;
    Task running = MakeTask("same-b", 500);
    running.status = TaskStatus::kInProgress;  // Still unfinished.
    return tx.tasks().Update(running);
  }));
  EXPECT_EQ(this->Unfinished(10), (std::vector<std::string>{"early", "same-b", "same-a", "late"}));
  EXPECT_EQ(this->Unfinished(1), (std::vector<std::string>{"early"}));
}

TYPED_TEST(TaskContract, RolledBackWithTheTransaction) {
  auto r = this->store_->Transact([](domain::MetadataTransaction& tx) -> Result<void> {
    if (auto ok = tx.tasks().Insert(MakeTask("t1", 1)); !ok) return ok;
    return MakeError(Errc::kConflict, "", "roll back");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(this->Get("t1").error().code, Errc::kNotFound);
  ASSERT_TRUE(this->Insert(MakeTask("t2", 1)));
  r = this->store_->Transact([](domain::MetadataTransaction& tx) -> Result<void> {
    Task t = MakeTask("t2", 1);
    t.status = TaskStatus::kSucceeded;
    if (auto ok = tx.tasks().Update(t); !ok) return ok;
    return MakeError(Errc::kConflict, "", "roll back");
  });
  ASSERT_FALSE(r);
  EXPECT_EQ(this->Get("t2")->status, TaskStatus::kInit);
  EXPECT_EQ(this->Unfinished(10), (std::vector<std::string>{"t2"}));
}

}  // namespace
}  // namespace spacestore::contract
