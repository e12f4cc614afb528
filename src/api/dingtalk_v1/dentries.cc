// Dentry reads and folders: AddFolder, GetDentry, GetDentries (seed 004), ListDentries,
// ListAllDentries.
#include <charconv>

#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/errors.h"
#include "api/dingtalk_v1/json_mapping.h"
#include "api/dingtalk_v1/request_fields.h"
#include "server/json_body.h"
#include "server/json_writer.h"

namespace spacestore::api::dingtalk_v1 {

namespace json = boost::json;

namespace {

// What a read shows besides the dentries: option.appIdsForAppProperties (at most 20) and
// option.withThumbnail.
struct ViewOptions {
  std::vector<std::string> apps;
  bool with_thumbnail = false;
};

Result<ViewOptions> ReadViewOptions(const json::object* option) {
  ViewOptions view;
  if (option == nullptr) return view;
  auto ids = server::GetStringArray(*option, "appIdsForAppProperties");
  if (!ids) return ids.error();
  if (*ids) {
    if ((*ids)->size() > domain::kMaxAppIdsFilter) {
      return MakeError(Errc::kInvalidArgument, "appIdsForAppProperties",
                       "appIdsForAppProperties takes at most 20 ids");
    }
    view.apps = std::move(**ids);
  }
  auto thumbnail = server::GetBool(*option, "withThumbnail");
  if (!thumbnail) return thumbnail.error();
  view.with_thumbnail = thumbnail->value_or(false);
  return view;
}

Result<int> ReadMaxResults(std::optional<int64_t> value) {
  if (!value) return domain::kMaxPageSize;
  if (*value < 1 || *value > domain::kMaxPageSize) {
    return MakeError(Errc::kInvalidArgument, "maxResults", "maxResults must be 1-50");
  }
  return static_cast<int>(*value);
}

Result<bool> ReadDescending(std::optional<std::string_view> order, bool fallback) {
  if (!order || order->empty()) return fallback;
  if (*order == "DESC") return true;
  if (*order == "ASC") return false;
  return MakeError(Errc::kInvalidArgument, "order", "order must be ASC or DESC");
}

}  // namespace

Result<Reply> DingTalkApi::AddFolder(const Call& call) const {
  auto name = ReadRequiredString(call.body, "name");
  if (!name) return name.error();
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  auto strategy = ReadConflictStrategy(*option);
  if (!strategy) return strategy.error();
  auto properties = ReadAppProperties(*option, call.actor.app_id);
  if (!properties) return properties.error();
  auto folder =
      dentries_.AddFolder(call.actor, call.Param("spaceId"), std::string(call.Param("parentId")),
                          *name, *strategy, std::move(*properties));
  if (!folder) return folder.error();
  return DentryReply(*folder, DentryShape::kPlain, call.actor.app_id);
}

Result<Reply> DingTalkApi::GetDentry(const Call& call) const {
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  auto view = ReadViewOptions(*option);
  if (!view) return view.error();
  auto d = dentries_.GetDentry(call.actor, call.Param("spaceId"), call.Param("dentryId"));
  if (!d) return d.error();
  const auto thumbnail = view->with_thumbnail ? ThumbnailOf(*d) : std::nullopt;
  return DentryReply(*d, DentryShape::kWithThumbnail, call.actor.app_id, view->apps,
                     thumbnail ? &*thumbnail : nullptr);
}

Result<Reply> DingTalkApi::GetDentries(const Call& call) const {
  auto ids = server::GetStringArray(call.body, "dentryIds");
  if (!ids) return ids.error();
  if (!*ids) return MakeError(Errc::kInvalidArgument, "dentryIds", "dentryIds is required");
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  auto view = ReadViewOptions(*option);
  if (!view) return view.error();
  const std::string_view space_id = call.Param("spaceId");
  auto results = dentries_.GetDentries(call.actor, space_id, **ids);
  if (!results) return results.error();
  const auto write_item = [&](server::JsonWriter& w, const domain::BatchResult& r) {
    w.BeginObject().Member("spaceId", space_id).Member("dentryId", r.dentry_id);
    if (r.dentry) {
      w.Member("success", true).Key("dentry");
      const auto thumbnail = view->with_thumbnail ? ThumbnailOf(**r.dentry) : std::nullopt;
      WriteDentry(w, **r.dentry, DentryShape::kWithThumbnail, call.actor.app_id, view->apps,
                  thumbnail ? &*thumbnail : nullptr);
    } else {
      w.Member("success", false).Member("errorCode", MapError(r.dentry.error()).code);
    }
    w.EndObject();
  };
  // Items that depend only on the dentry and the viewing app are kept as text (BatchItemCache).
  const bool keepable = view->apps.empty() && !view->with_thumbnail;
  server::JsonWriter w(kDentryBytes * (results->size() + 1));
  w.BeginObject().Key("resultItems").BeginArray();
  for (const auto& r : *results) {
    const bool kept =
        keepable && r.dentry && (*r.dentry)->id == r.dentry_id && (*r.dentry)->space_id == space_id;
    if (!kept) {
      write_item(w, r);
    } else if (!items_->WriteTo(w, **r.dentry, call.actor.app_id)) {
      server::JsonWriter item(kDentryBytes);
      write_item(item, r);
      std::string text = std::move(item).Finish();
      w.Raw(text);
      items_->Put(*r.dentry, call.actor.app_id, std::move(text));
    }
  }
  w.EndArray().EndObject();
  return std::move(w).Finish();
}

Result<Reply> DingTalkApi::ListDentries(const Call& call) const {
  const auto parent = call.request.Query("parentId");
  if (!parent || parent->empty()) {
    return MakeError(Errc::kInvalidArgument, "parentId", "parentId is required");
  }
  domain::ListQuery query;
  if (auto v = call.request.Query("maxResults"); v && !v->empty()) {
    int64_t n = 0;
    const auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc() || end != v->data() + v->size()) n = 0;  // Rejected just below.
    auto limit = ReadMaxResults(n);
    if (!limit) return limit.error();
    query.limit = *limit;
  }
  auto descending = ReadDescending(call.request.Query("order"), true);
  if (!descending) return descending.error();
  query.descending = *descending;
  if (auto by = call.request.Query("orderBy"); by && !by->empty()) {
    if (*by == "NAME") {
      query.order = domain::DentryOrder::kName;
    } else if (*by == "SIZE") {
      query.order = domain::DentryOrder::kSize;
    } else if (*by == "CREATE_TIME") {
      query.order = domain::DentryOrder::kCreateTime;
    } else if (*by != "MODIFIED_TIME") {
      return MakeError(Errc::kInvalidArgument, "orderBy",
                       "orderBy must be NAME, SIZE, MODIFIED_TIME or CREATE_TIME");
    }
  }
  query.cursor = std::string(call.request.Query("nextToken").value_or(""));
  const auto with_thumbnail = call.request.Query("withThumbnail").value_or("");
  if (!with_thumbnail.empty() && with_thumbnail != "true" && with_thumbnail != "false") {
    return MakeError(Errc::kInvalidArgument, "withThumbnail",
                     "withThumbnail must be true or false");
  }
  auto page =
      dentries_.ListDentries(call.actor, call.Param("spaceId"), std::string(*parent), query);
  if (!page) return page.error();
  return PageReply(*page, DentryShape::kWithCategory, call.actor.app_id,
                   with_thumbnail == "true" ? Thumbnails(page->dentries)
                                            : std::vector<std::optional<ThumbnailJson>>());
}

Result<Reply> DingTalkApi::ListAllDentries(const Call& call) const {
  auto option = ReadOption(call.body);
  if (!option) return option.error();
  domain::ListQuery query;
  query.descending = false;  // The reference's default order here is ASC.
  bool with_thumbnail = false;
  if (*option != nullptr) {
    auto max = server::GetInt64(**option, "maxResults");
    if (!max) return max.error();
    auto limit = ReadMaxResults(*max);
    if (!limit) return limit.error();
    query.limit = *limit;
    auto token = server::GetString(**option, "nextToken");
    if (!token) return token.error();
    query.cursor = token->value_or("");
    auto order = server::GetString(**option, "order");
    if (!order) return order.error();
    auto descending =
        ReadDescending(*order ? std::optional<std::string_view>(**order) : std::nullopt, false);
    if (!descending) return descending.error();
    query.descending = *descending;
    auto thumbnail = server::GetBool(**option, "withThumbnail");
    if (!thumbnail) return thumbnail.error();
    with_thumbnail = thumbnail->value_or(false);
  }
  auto page = dentries_.ListAllDentries(call.actor, call.Param("spaceId"), query);
  if (!page) return page.error();
  return PageReply(
      *page, DentryShape::kWithThumbnail, call.actor.app_id,
      with_thumbnail ? Thumbnails(page->dentries) : std::vector<std::optional<ThumbnailJson>>());
}

}  // namespace spacestore::api::dingtalk_v1
