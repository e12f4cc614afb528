// GetDentryThumbnails and the thumbnail withThumbnail adds to dentry reads. The domain renders
// and caches (ThumbnailService); this file only chooses the per-item error codes and turns the
// grant into a signed URL.
#include <optional>

#include "api/dingtalk_v1/dingtalk_api.h"
#include "api/dingtalk_v1/errors.h"
#include "api/dingtalk_v1/json_mapping.h"
#include "server/json_body.h"
#include "server/json_writer.h"

namespace spacestore::api::dingtalk_v1 {
namespace {

// The per-item errorCode of a thumbnail that cannot be made (docs/api/dingtalk-v1.md,
// "Thumbnails"); any other error as the rest of the dialect maps it.
std::string ItemErrorCode(const Error& error) {
  if (error.code == Errc::kPreconditionFailed) {
    if (error.subject == domain::kSubjectThumbnailUnsupported) return "thumbnailNotSupported";
    if (error.subject == domain::kSubjectThumbnailTooLarge) return "thumbnailSourceTooLarge";
    if (error.subject == domain::kSubjectThumbnailUndecodable) return "thumbnailGenerateFailed";
  }
  return MapError(error).code;
}

}  // namespace

std::optional<ThumbnailJson> DingTalkApi::ThumbnailOf(const domain::Dentry& dentry) const {
  if (dentry.is_folder()) return std::nullopt;
  auto info = thumbnails_.ForDentry(dentry);
  if (!info) return std::nullopt;
  return ThumbnailJson{info->width, info->height, links_.Link(info->grant).url};
}

std::vector<std::optional<ThumbnailJson>> DingTalkApi::Thumbnails(
    const std::vector<domain::Dentry>& dentries) const {
  std::vector<std::optional<ThumbnailJson>> out;
  out.reserve(dentries.size());
  for (const auto& d : dentries) out.push_back(ThumbnailOf(d));
  return out;
}

Result<Reply> DingTalkApi::GetDentryThumbnails(const Call& call) const {
  auto ids = server::GetStringArray(call.body, "dentryIds");
  if (!ids) return ids.error();
  if (!*ids) return MakeError(Errc::kInvalidArgument, "dentryIds", "dentryIds is required");
  const std::string_view space_id = call.Param("spaceId");
  auto results = thumbnails_.GetThumbnails(call.actor, space_id, **ids);
  if (!results) return results.error();
  server::JsonWriter w(256 * (results->size() + 1));
  w.BeginObject().Key("resultItems").BeginArray();
  for (const auto& r : *results) {
    w.BeginObject().Member("spaceId", space_id).Member("dentryId", r.dentry_id);
    if (r.thumbnail) {
      w.Member("success", true).Key("thumbnail");
      WriteThumbnail(w, ThumbnailJson{r.thumbnail->width, r.thumbnail->height,
                                      links_.Link(r.thumbnail->grant).url});
    } else {
      w.Member("success", false).Member("errorCode", ItemErrorCode(r.thumbnail.error()));
    }
    w.EndObject();
  }
  w.EndArray().EndObject();
  return std::move(w).Finish();
}

}  // namespace spacestore::api::dingtalk_v1
