// Renames and moves: RenameDentry, MoveDentry, MoveDentries. The rules live in
// domain::TreeService; this file reads the bodies (with the reference's spellings: MoveDentry's
// option is `presevePermissions`, MoveDentries' `preservePermissions`) and writes the replies.
#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/errors.h"
#include "api/dingtalk_v1/json_mapping.h"
#include "api/dingtalk_v1/request_fields.h"
#include "server/json_body.h"
#include "server/json_writer.h"

namespace spacestore::api::dingtalk_v1 {

namespace json = boost::json;

namespace {

// targetSpaceId*, targetFolderId* and option {conflictStrategy, <permissions_key>: bool}.
Result<domain::MoveTarget> ReadMoveTarget(const json::object& body,
                                          std::string_view permissions_key) {
  domain::MoveTarget target;
  auto space = ReadRequiredString(body, "targetSpaceId");
  if (!space) return space.error();
  target.space_id = std::move(*space);
  auto folder = ReadRequiredString(body, "targetFolderId");
  if (!folder) return folder.error();
  target.folder_id = std::move(*folder);
  auto option = ReadOption(body);
  if (!option) return option.error();
  auto strategy = ReadConflictStrategy(*option);
  if (!strategy) return strategy.error();
  target.strategy = *strategy;
  if (*option != nullptr) {
    auto preserve = server::GetBool(**option, permissions_key);
    if (!preserve) return preserve.error();
    target.preserve_permissions = preserve->value_or(false);
  }
  return target;
}

}  // namespace

Result<Reply> DingTalkApi::RenameDentry(const Call& call) const {
  auto name = ReadRequiredString(call.body, "newName");
  if (!name) return name.error();
  auto d = tree_.Rename(call.actor, call.Param("spaceId"), call.Param("dentryId"), *name);
  if (!d) return d.error();
  return DentryReply(*d, DentryShape::kPlain, call.actor.app_id);
}

Result<Reply> DingTalkApi::MoveDentry(const Call& call) const {
  auto target = ReadMoveTarget(call.body, "presevePermissions");
  if (!target) return target.error();
  auto moved = tree_.Move(call.actor, call.Param("spaceId"), call.Param("dentryId"), *target);
  if (!moved) return moved.error();
  server::JsonWriter w(2 * kDentryBytes);
  w.BeginObject().Member("async", moved->async);
  if (moved->async) {
    w.Member("taskId", moved->task_id);
  } else {
    w.Key("dentry");
    WriteDentry(w, moved->dentry, DentryShape::kPlain, call.actor.app_id);
  }
  w.EndObject();
  return std::move(w).Finish();
}

Result<Reply> DingTalkApi::MoveDentries(const Call& call) const {
  auto ids = server::GetStringArray(call.body, "dentryIds");
  if (!ids) return ids.error();
  if (!*ids) return MakeError(Errc::kInvalidArgument, "dentryIds", "dentryIds is required");
  auto target = ReadMoveTarget(call.body, "preservePermissions");
  if (!target) return target.error();
  const std::string_view space_id = call.Param("spaceId");
  auto items = tree_.MoveMany(call.actor, space_id, **ids, *target);
  if (!items) return items.error();
  server::JsonWriter w(kDentryBytes * (items->size() + 1));
  w.BeginObject().Key("resultItems").BeginArray();
  for (const auto& item : *items) {
    w.BeginObject().Member("spaceId", space_id).Member("dentryId", item.dentry_id);
    if (!item.outcome) {
      w.Member("success", false)
          .Member("errorCode", MapError(item.outcome.error()).code)
          .Member("async", false);
    } else if (item.outcome->async) {
      // The reference omits success and errorCode for an item still running.
      w.Member("async", true).Member("taskId", item.outcome->task_id);
    } else {
      w.Member("success", true).Member("async", false);
    }
    if (item.outcome) {
      w.Member("targetSpaceId", item.outcome->dentry.space_id)
          .Member("targetDentryId", item.outcome->dentry.id);
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return std::move(w).Finish();
}

}  // namespace spacestore::api::dingtalk_v1
