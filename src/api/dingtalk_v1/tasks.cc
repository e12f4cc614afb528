// GetTask: the state of an async operation (CopyDentry and the others that answer async:true).
#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/errors.h"
#include "api/dingtalk_v1/json_mapping.h"

namespace spacestore::api::dingtalk_v1 {

Result<Reply> DingTalkApi::GetTask(const Call& call) const {
  auto task = tasks_.GetTask(call.actor, call.Param("taskId"));
  if (!task) return task.error();
  return TaskReply(*task);
}

}  // namespace spacestore::api::dingtalk_v1
