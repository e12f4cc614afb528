// File versions: ListDentryVersions and RevertDentryVersion (domain::VersionService).
#include <charconv>

#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/json_mapping.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

// A whole decimal integer (optionally negative), or nullopt for anything else: empty, "abc",
// "1.5", "+1", " 1", or beyond int64.
std::optional<int64_t> ParseInteger(std::string_view text) {
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return n;
}

}  // namespace

Result<Reply> DingTalkApi::ListDentryVersions(const Call& call) const {
  domain::VersionQuery query;
  if (auto v = call.request.Query("maxResults"); v && !v->empty()) {
    const auto n = ParseInteger(*v);
    if (!n || *n < 1 || *n > domain::kMaxVersionPageSize) {
      return MakeError(Errc::kInvalidArgument, "maxResults", "maxResults must be 1-100");
    }
    query.limit = static_cast<int>(*n);
  }
  query.cursor = std::string(call.request.Query("nextToken").value_or(""));
  auto page =
      versions_.ListVersions(call.actor, call.Param("spaceId"), call.Param("dentryId"), query);
  if (!page) return page.error();
  // ListDentryVersions answers the plain Dentry shape (reference section 3).
  return PageReply(*page, DentryShape::kPlain, call.actor.app_id);
}

Result<Reply> DingTalkApi::RevertDentryVersion(const Call& call) const {
  // Not a number at all is bad input; a number no version has (0, -1, 99) is versionNotExist,
  // as GetFileDownloadInfo's option.version answers.
  const auto version = ParseInteger(call.Param("version"));
  if (!version) {
    return MakeError(Errc::kInvalidArgument, "version", "version must be a whole number");
  }
  auto file = versions_.Revert(call.actor, call.Param("spaceId"), call.Param("dentryId"), *version);
  if (!file) return file.error();
  return Wrap("success", true);
}

}  // namespace spacestore::api::dingtalk_v1
