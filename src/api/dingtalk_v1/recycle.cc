// Deletion and the recycle bins: DeleteDentry, DeleteDentries, GetRecycleBin,
// ListRecycleItems, GetRecycleItem, RestoreRecycleItem(s), DeleteRecycleItem(s),
// ClearRecycleBin. toRecycleBin is a query parameter of DeleteDentry and a body option of
// DeleteDentries (the reference's spellings); both default to permanent deletion.
#include <charconv>

#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/errors.h"
#include "api/dingtalk_v1/request_fields.h"
#include "base/clock.h"
#include "server/json_body.h"
#include "server/json_writer.h"

namespace spacestore::api::dingtalk_v1 {
namespace json = boost::json;
namespace {

constexpr size_t kItemBytes = 320;

Result<bool> ReadQueryBool(const server::HttpRequest& request, std::string_view name) {
  const auto v = request.Query(name);
  if (!v || v->empty() || *v == "false") return false;
  if (*v == "true") return true;
  return MakeError(Errc::kInvalidArgument, std::string(name),
                   std::string(name) + " must be true or false");
}

Result<std::vector<std::string>> ReadIds(const json::object& body, std::string_view key) {
  auto ids = server::GetStringArray(body, key);
  if (!ids) return ids.error();
  if (!*ids) {
    return MakeError(Errc::kInvalidArgument, std::string(key), std::string(key) + " is required");
  }
  return std::move(**ids);
}

const char* TypeName(domain::DentryType type) {
  return type == domain::DentryType::kFolder ? "FOLDER" : "FILE";
}

void WriteItem(server::JsonWriter& w, const domain::RecycleItem& item) {
  w.BeginObject()
      .Member("id", item.id)
      .Member("dentryId", item.dentry_id)
      .Member("spaceId", item.space_id)
      .Member("type", TypeName(item.type))
      .Member("originalName", item.original_name)
      .Member("originalPath", item.original_path)
      .Member("size", item.size)
      .Member("operatorId", item.operator_id)
      .Member("operatorTime", IsoSecondsText(item.operator_time).view())
      .EndObject();
}

// async, and taskId when the operation became a task.
void WriteAsync(server::JsonWriter& w, const domain::OperationOutcome& o) {
  w.Member("async", o.async);
  if (o.async) w.Member("taskId", o.task_id);
}

std::string Success() { return R"({"success":true})"; }

}  // namespace

Result<Reply> DingTalkApi::DeleteDentry(const Call& call) const {
  auto to_bin = ReadQueryBool(call.request, "toRecycleBin");
  if (!to_bin) return to_bin.error();
  auto outcome =
      recycle_.DeleteDentry(call.actor, call.Param("spaceId"), call.Param("dentryId"), *to_bin);
  if (!outcome) return outcome.error();
  server::JsonWriter w(64);
  w.BeginObject();
  WriteAsync(w, *outcome);
  w.EndObject();
  return std::move(w).Finish();
}

Result<Reply> DingTalkApi::DeleteDentries(const Call& call) const {
  auto ids = ReadIds(call.body, "dentryIds");
  if (!ids) return ids.error();
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  bool to_bin = false;
  if (*option != nullptr) {
    auto flag = server::GetBool(**option, "toRecycleBin");
    if (!flag) return flag.error();
    to_bin = flag->value_or(false);
  }
  const std::string_view space_id = call.Param("spaceId");
  auto results = recycle_.DeleteDentries(call.actor, space_id, *ids, to_bin);
  if (!results) return results.error();
  server::JsonWriter w(kItemBytes * (results->size() + 1));
  w.BeginObject().Key("resultItems").BeginArray();
  for (const auto& r : *results) {
    w.BeginObject().Member("spaceId", space_id).Member("dentryId", r.id);
    if (!r.outcome) {
      w.Member("success", false).Member("errorCode", MapError(r.outcome.error()).code);
      w.Member("async", false);
    } else if (r.outcome->async) {
      WriteAsync(w, *r.outcome);  // Async items carry no success or errorCode.
    } else {
      w.Member("success", true);
      WriteAsync(w, *r.outcome);
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return std::move(w).Finish();
}

Result<Reply> DingTalkApi::GetRecycleBin(const Call& call) const {
  const auto scope_text = call.request.Query("recycleBinScope");
  if (!scope_text || scope_text->empty()) {
    return MakeError(Errc::kInvalidArgument, "recycleBinScope", "recycleBinScope is required");
  }
  auto scope = domain::ParseRecycleScope(*scope_text);
  if (!scope) return scope.error();
  const auto scope_id = call.request.Query("scopeId").value_or("");
  auto bin = recycle_.GetRecycleBin(call.actor, *scope, scope_id);
  if (!bin) return bin.error();
  server::JsonWriter w(256);
  w.BeginObject()
      .Key("recycleBin")
      .BeginObject()
      .Member("id", bin->id())
      .Member("scope", domain::RecycleScopeName(bin->scope))
      .Member("scopeId", bin->scope_id)
      .EndObject()
      .EndObject();
  return std::move(w).Finish();
}

Result<Reply> DingTalkApi::ListRecycleItems(const Call& call) const {
  int limit = domain::kMaxRecyclePageSize;
  if (auto v = call.request.Query("maxResults"); v && !v->empty()) {
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size() || n < 1 ||
        n > domain::kMaxRecyclePageSize) {
      return MakeError(Errc::kInvalidArgument, "maxResults", "maxResults must be 1-50");
    }
    limit = static_cast<int>(n);
  }
  auto page = recycle_.ListRecycleItems(call.actor, call.Param("recycleBinId"), limit,
                                        call.request.Query("nextToken").value_or(""));
  if (!page) return page.error();
  server::JsonWriter w(kItemBytes * (page->items.size() + 1));
  w.BeginObject().Key("recycleItems").BeginArray();
  for (const auto& item : page->items) WriteItem(w, item);
  w.EndArray();
  if (!page->next_token.empty()) w.Member("nextToken", page->next_token);
  w.EndObject();
  return std::move(w).Finish();
}

Result<Reply> DingTalkApi::GetRecycleItem(const Call& call) const {
  auto item =
      recycle_.GetRecycleItem(call.actor, call.Param("recycleBinId"), call.Param("recycleItemId"));
  if (!item) return item.error();
  server::JsonWriter w(kItemBytes);
  w.BeginObject().Key("item");
  WriteItem(w, *item);
  w.EndObject();
  return std::move(w).Finish();
}

Result<Reply> DingTalkApi::RestoreRecycleItem(const Call& call) const {
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  auto strategy = ReadConflictStrategy(*option);
  if (!strategy) return strategy.error();
  auto outcome = recycle_.RestoreRecycleItem(call.actor, call.Param("recycleBinId"),
                                             call.Param("recycleItemId"), *strategy);
  if (!outcome) return outcome.error();
  server::JsonWriter w(128);
  w.BeginObject();
  WriteAsync(w, *outcome);
  w.Member("spaceId", outcome->space_id).Member("dentryId", outcome->dentry_id).EndObject();
  return std::move(w).Finish();
}

Result<Reply> DingTalkApi::RestoreRecycleItems(const Call& call) const {
  auto ids = ReadIds(call.body, "recycleItemIds");
  if (!ids) return ids.error();
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  auto strategy = ReadConflictStrategy(*option);
  if (!strategy) return strategy.error();
  const std::string_view bin_id = call.Param("recycleBinId");
  auto results = recycle_.RestoreRecycleItems(call.actor, bin_id, *ids, *strategy);
  if (!results) return results.error();
  server::JsonWriter w(kItemBytes * (results->size() + 1));
  w.BeginObject().Key("resultItems").BeginArray();
  for (const auto& r : *results) {
    w.BeginObject().Member("recycleBinId", bin_id).Member("recycleItemId", r.id);
    if (!r.outcome) {
      w.Member("success", false).Member("errorCode", MapError(r.outcome.error()).code);
      w.Member("async", false);
    } else {
      w.Member("spaceId", r.outcome->space_id).Member("dentryId", r.outcome->dentry_id);
      if (!r.outcome->async) w.Member("success", true);
      WriteAsync(w, *r.outcome);
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return std::move(w).Finish();
}

Result<Reply> DingTalkApi::DeleteRecycleItem(const Call& call) const {
  auto ok = recycle_.DeleteRecycleItem(call.actor, call.Param("recycleBinId"),
                                       call.Param("recycleItemId"));
  if (!ok) return ok.error();
  return Success();
}

Result<Reply> DingTalkApi::DeleteRecycleItems(const Call& call) const {
  auto ids = ReadIds(call.body, "recycleItemIds");
  if (!ids) return ids.error();
  auto ok = recycle_.DeleteRecycleItems(call.actor, call.Param("recycleBinId"), *ids);
  if (!ok) return ok.error();
  return Success();
}

Result<Reply> DingTalkApi::ClearRecycleBin(const Call& call) const {
  auto ok = recycle_.ClearRecycleBin(call.actor, call.Param("recycleBinId"));
  if (!ok) return ok.error();
  return Success();
}

}  // namespace spacestore::api::dingtalk_v1
