// TaskService: durable tasks, each run in one metadata transaction.
//
// A task moves INIT -> IN_PROGRESS (claimed, its own small transaction) -> SUCCESS or FAIL. The
// run and the SUCCESS are one transaction, so nothing of a task's work is ever visible without
// its SUCCESS, and a crash during the run leaves the tree as it was with the task still
// IN_PROGRESS; the runner picks up IN_PROGRESS tasks like INIT ones, which is what resumes them
// after a restart. Splitting a big operation into several transactions with a progress cursor
// was rejected: every reader between two of them would see half a tree.
#include "domain/task_service.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <stop_token>
#include <utility>

#include "base/ids.h"

namespace spacestore::domain {
namespace {

constexpr size_t kTaskIdChars = 24;
// How soon a runner woken while another node held the lease looks again, and how often the
// lease is renewed while a task runs, in milliseconds.
constexpr int64_t kLeaseRetryMs = 500;

}  // namespace

TaskService::TaskService(MetadataStore& store, const Clock& clock, TaskServiceOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

TaskService::~TaskService() { Stop(); }

void TaskService::Register(std::string kind, TaskHandler handler) {
  MutexLock lock(mu_);
  handlers_.insert_or_assign(std::move(kind), std::move(handler));
}

TaskHandler TaskService::HandlerOf(const std::string& kind) {
  MutexLock lock(mu_);
  const auto it = handlers_.find(kind);
  return it == handlers_.end() ? TaskHandler() : it->second;
}

Result<Task> TaskService::Submit(MetadataTransaction& tx, const Actor& actor, std::string kind,
                                 std::string params, int64_t total_count) {
  Task task;
  task.id = RandomAlnumId(kTaskIdChars);
  task.corp_id = actor.corp_id;
  task.app_id = actor.app_id;
  task.actor_id = actor.acting_id();
  task.kind = std::move(kind);
  task.params = std::move(params);
  task.counts.total = total_count;
  task.create_time = clock_.NowMillis();
  if (auto r = tx.tasks().Insert(task); !r) return r.error();
  // Waking before the commit is safe: the runner claims in a write transaction, which waits for
  // this one to end and then sees the task (or, after a rollback, does not).
  Wake();
  return task;
}

Result<Task> TaskService::GetTask(const Actor& actor, std::string_view task_id) {
  if (!actor.union_id.empty()) {
    auto user = store_.GetUser(actor.corp_id, actor.union_id);
    if (!user) {
      if (user.error().code != Errc::kNotFound) return user.error();
      return MakeError(Errc::kPermissionDenied, "user",
                       "user " + actor.union_id + " is not a member of the org");
    }
  }
  auto task = store_.Read([&](MetadataTransaction& tx) { return tx.tasks().Get(task_id); });
  if (!task) return task.error();
  if (task->corp_id != actor.corp_id || task->app_id != actor.app_id) {
    // Another org's or app's task reads exactly like one that never existed.
    return MakeError(Errc::kNotFound, "task", "task " + std::string(task_id) + " not found");
  }
  return task;
}

void TaskService::Wake() {
  MutexLock lock(mu_);
  woken_ = true;
  wake_cv_.SignalAll();
}

void TaskService::Start() {
  {
    MutexLock lock(mu_);
    stopping_ = false;
    woken_ = true;  // The first pass resumes whatever an earlier process left unfinished.
  }
  runner_ = std::thread([this] { RunLoop(); });
}

void TaskService::Stop() {
  {
    MutexLock lock(mu_);
    stopping_ = true;
    wake_cv_.SignalAll();
  }
  if (runner_.joinable()) runner_.join();
}

void TaskService::RunLoop() {
  bool retry = false;  // Woken while the lease was held elsewhere: look again soon.
  for (;;) {
    bool woken = false;
    {
      MutexLock lock(mu_);
      if (!woken_ && !stopping_) {
        wake_cv_.WaitFor(
            mu_, std::chrono::milliseconds(retry ? kLeaseRetryMs : options_.poll_interval_ms));
      }
      if (stopping_) return;
      woken = woken_ || retry;
      woken_ = false;
    }
    // A poll only reads; a pass takes the lease, a write.
    if (!woken && options_.lease != nullptr && !AnyUnfinished()) continue;
    retry = !RunPass();
  }
}

bool TaskService::RunPass() {
  Lease* lease = options_.lease;
  if (lease != nullptr) {
    auto held = lease->Acquire();
    if (!held || !*held) return false;
  }
  // Renews the lease while a task runs: a task is one transaction, which may take long.
  std::jthread keeper;
  if (lease != nullptr) {
    keeper = std::jthread([lease](const std::stop_token& stop) {
      std::mutex mu;
      std::condition_variable_any cv;
      std::unique_lock lock(mu);
      while (!stop.stop_requested()) {
        (void)lease->Renew();  // A failed renewal shows in the next Check.
        cv.wait_for(lock, stop, std::chrono::milliseconds(kLeaseRetryMs), [] { return false; });
      }
    });
  }
  // A pass over every unfinished task. An error (the store down, the lease lost) ends it; the
  // next wake or poll tries again.
  for (;;) {
    {
      MutexLock lock(mu_);
      if (stopping_) break;
    }
    auto next = ClaimNext();
    if (!next || !*next) break;
    if (!Execute(**next)) break;
  }
  if (lease != nullptr) {
    keeper = {};             // Stops and joins it before the release.
    (void)lease->Release();  // Failing, it expires instead.
  }
  return true;
}

bool TaskService::AnyUnfinished() {
  auto open = store_.Snapshot([](MetadataTransaction& tx) { return tx.tasks().ListUnfinished(1); });
  return !open || !open->empty();  // An error: let the pass find out.
}

Result<int> TaskService::RunPending() {
  int ran = 0;
  for (;;) {
    auto next = ClaimNext();
    if (!next) return next.error();
    if (!*next) return ran;
    if (auto r = Execute(**next); !r) return r.error();
    ++ran;
  }
}

Result<std::optional<Task>> TaskService::ClaimNext() {
  return store_.Write([&](MetadataTransaction& tx) -> Result<std::optional<Task>> {
    if (options_.lease != nullptr) {
      if (auto held = options_.lease->Check(tx); !held) return held.error();
    }
    auto open = tx.tasks().ListUnfinished(1);
    if (!open) return open.error();
    if (open->empty()) return std::optional<Task>();
    Task task = std::move(open->front());
    if (task.status == TaskStatus::kInit) {
      task.status = TaskStatus::kInProgress;
      task.begin_time = clock_.NowMillis();
      if (auto r = tx.tasks().Update(task); !r) return r.error();
    }
    // An IN_PROGRESS task here was being run by a process that stopped (or crashed) before
    // its outcome committed: run it again, from the unchanged tree.
    return std::optional<Task>(std::move(task));
  });
}

Result<void> TaskService::Execute(const Task& claimed) {
  const TaskHandler handler = HandlerOf(claimed.kind);
  Task finished;  // Set only when this call finished the task (not when another runner had).
  Result<void> run = MakeError(Errc::kInternal, "task", "the task did not run");
  try {
    run = store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
      finished = Task{};  // A backend may run this again (a retried transaction): start clean.
      if (options_.lease != nullptr) {
        if (auto held = options_.lease->Check(tx); !held) return held;
      }
      auto task = tx.tasks().Get(claimed.id);
      if (!task) return task.error();
      if (task->status != TaskStatus::kInProgress) return {};  // Another runner finished it.
      if (!handler) {
        return MakeError(Errc::kInternal, "task", "no handler for tasks of kind " + task->kind);
      }
      auto counts = handler(tx, *task);
      if (!counts) return counts.error();
      task->status = TaskStatus::kSucceeded;
      task->counts = *counts;
      task->end_time = clock_.NowMillis();
      if (auto r = tx.tasks().Update(*task); !r) return r.error();
      finished = std::move(*task);
      return {};
    });
  } catch (const std::exception& e) {
    // A handler's library threw: the transaction rolled back; the task fails, the runner lives.
    run = MakeError(Errc::kInternal, "task", std::string("the task's handler threw: ") + e.what());
  }
  // Fenced: the task stays IN_PROGRESS for the node that took the lease over.
  if (!run && Lease::IsLost(run.error())) return run.error();
  if (!run) {
    auto failed = MarkFailed(claimed.id, run.error());
    if (!failed) return failed.error();
    if (*failed) finished = std::move(**failed);
  }
  if (options_.on_finished && finished.finished()) options_.on_finished(finished);
  return {};
}

Result<std::optional<Task>> TaskService::MarkFailed(const std::string& task_id,
                                                    const Error& error) {
  return store_.Write([&](MetadataTransaction& tx) -> Result<std::optional<Task>> {
    if (options_.lease != nullptr) {
      if (auto held = options_.lease->Check(tx); !held) return held.error();
    }
    auto task = tx.tasks().Get(task_id);
    if (!task) return task.error();
    if (task->status != TaskStatus::kInProgress) return std::optional<Task>();
    task->status = TaskStatus::kFailed;
    task->failure = error;
    // The run rolled back whole: nothing of it succeeded.
    task->counts.success = 0;
    task->counts.fail = task->counts.total;
    task->end_time = clock_.NowMillis();
    if (auto r = tx.tasks().Update(*task); !r) return r.error();
    return std::optional<Task>(std::move(*task));
  });
}

}  // namespace spacestore::domain
