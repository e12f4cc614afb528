// CopyDentry and CopyDentries: body checks and the replies ({async, taskId?, dentry?} and the
// batch's resultItems, docs/api/dingtalk-v1.md "Copies").
#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/errors.h"
#include "api/dingtalk_v1/json_mapping.h"
#include "api/dingtalk_v1/request_fields.h"
#include "server/json_body.h"
#include "server/json_writer.h"

namespace spacestore::api::dingtalk_v1 {

namespace {

// targetSpaceId*, targetFolderId* and option.conflictStrategy.
Result<domain::CopyTarget> ReadCopyTarget(const boost::json::object& body) {
  auto space = ReadRequiredString(body, "targetSpaceId");
  if (!space) return space.error();
  auto folder = ReadRequiredString(body, "targetFolderId");
  if (!folder) return folder.error();
  auto option = ReadOption(body);
  if (!option) return option.error();
  auto strategy = ReadConflictStrategy(*option);
  if (!strategy) return strategy.error();
  return domain::CopyTarget{std::move(*space), std::move(*folder), *strategy};
}

}  // namespace

Result<Reply> DingTalkApi::CopyDentry(const Call& call) const {
  auto target = ReadCopyTarget(call.body);
  if (!target) return target.error();
  auto copy = copies_.Copy(call.actor, call.Param("spaceId"), call.Param("dentryId"), *target);
  if (!copy) return copy.error();
  server::JsonWriter w(1024);
  w.BeginObject().Member("async", copy->async);
  if (copy->async) w.Member("taskId", copy->task_id);
  if (copy->dentry) {
    w.Key("dentry");
    WriteDentry(w, *copy->dentry, DentryShape::kPlain, call.actor.app_id);
  }
  w.EndObject();
  return std::move(w).Finish();
}

Result<Reply> DingTalkApi::CopyDentries(const Call& call) const {
  auto ids = server::GetStringArray(call.body, "dentryIds");
  if (!ids) return ids.error();
  if (!*ids) return MakeError(Errc::kInvalidArgument, "dentryIds", "dentryIds is required");
  auto target = ReadCopyTarget(call.body);
  if (!target) return target.error();
  const std::string_view space_id = call.Param("spaceId");
  auto items = copies_.CopyMany(call.actor, space_id, **ids, *target);
  if (!items) return items.error();
  server::JsonWriter w(256 * (items->size() + 1));
  w.BeginObject().Key("resultItems").BeginArray();
  for (const auto& item : *items) {
    w.BeginObject().Member("spaceId", space_id).Member("dentryId", item.dentry_id);
    if (!item.outcome) {
      w.Member("success", false)
          .Member("errorCode", MapError(item.outcome.error()).code)
          .Member("async", false);
    } else {
      // Async items carry no success or errorCode: the task's state says how it went.
      if (!item.outcome->async) w.Member("success", true);
      w.Member("async", item.outcome->async);
      if (item.outcome->async) w.Member("taskId", item.outcome->task_id);
      w.Member("targetSpaceId", item.outcome->target_space_id)
          .Member("targetDentryId", item.outcome->target_dentry_id);
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return std::move(w).Finish();
}

}  // namespace spacestore::api::dingtalk_v1
