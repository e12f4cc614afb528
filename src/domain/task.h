#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace spacestore::domain {

// The life of a task: kInit when submitted, kInProgress once a runner has claimed it, then
// kSucceeded or kFailed for good. The numbers are stored (tasks.status): never renumber.
enum class TaskStatus { kInit = 0, kInProgress = 1, kSucceeded = 2, kFailed = 3 };

// What a task did: how many items it covers and how many succeeded or failed. For a copy, the
// items are the dentries of the copied subtree (its root included).
struct TaskCounts {
  int64_t total = 0;
  int64_t success = 0;
  int64_t fail = 0;
};

// A durable background operation (an async copy, move, delete or restore): its kind, its
// parameters and where it stands. Plain data; thread-compatible.
//
// `params` is the kind's own parameters as a JSON object of strings (TaskParams below): the
// handler registered for `kind` is the only reader, and the row stays readable by operators.
struct Task {
  std::string id;
  std::string corp_id;  // Who submitted it: only this org's app sees the task.
  std::string app_id;
  std::string actor_id;  // The acting unionId (or the app id when no user acted).
  std::string kind;      // The handler's name, e.g. "copy".
  std::string params;
  TaskStatus status = TaskStatus::kInit;
  TaskCounts counts;
  // Why a kFailed task failed: the error of the transaction that ran it. The dialects show
  // its code in their own vocabulary (DingTalk failMessage "quotaExceeded", ...).
  std::optional<Error> failure;
  int64_t create_time = 0;  // Epoch milliseconds.
  int64_t begin_time = 0;   // When a runner claimed it; 0 before.
  int64_t end_time = 0;     // When it finished; 0 before.

  bool finished() const {
    return status == TaskStatus::kSucceeded || status == TaskStatus::kFailed;
  }
};

// A task's parameters: names to string values, stored as one JSON object of strings
// (`{"name":"value",...}`, keys sorted). The domain knows no JSON library; this is the one
// shape it writes and reads.
using TaskParams = std::map<std::string, std::string, std::less<>>;

// `params` as JSON text. Any UTF-8 is kept; quotes, backslashes and control characters are
// escaped.
std::string EncodeTaskParams(const TaskParams& params);

// The inverse of EncodeTaskParams: accepts a JSON object whose values are all strings (with
// the standard escapes, \uXXXX included). kInternal (subject "task") for anything else: a
// stored task's parameters are written only by EncodeTaskParams.
Result<TaskParams> DecodeTaskParams(std::string_view text);

// A parameter that must be present. kInternal (subject "task") when it is not.
Result<std::string> TaskParam(const TaskParams& params, std::string_view name);

}  // namespace spacestore::domain
