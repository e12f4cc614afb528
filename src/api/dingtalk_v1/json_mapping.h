#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include <boost/json/object.hpp>

#include "domain/dentry.h"
#include "domain/permission.h"
#include "domain/permission_service.h"
#include "domain/space.h"
#include "domain/space_service.h"
#include "domain/task.h"
#include "domain/transfer_links.h"
#include "server/json_writer.h"

namespace spacestore::api::dingtalk_v1 {

// Domain values as DingTalk JSON, with the reference's field names and JSON types
// (section 3). Optional fields that have no value are omitted, never null.

// The space and dentry replies, on every hot path, are written as text with server::JsonWriter;
// building a boost::json tree first cost more than the query behind them. The rarer replies
// are built as trees.

// {"key": value}, moving `value` in (an initializer list would copy it).
boost::json::object Wrap(std::string_view key, boost::json::value value);

// {"space": Space}, {"org": Org}, {"app": App}: the space replies, written (see
// server::JsonWriter). Quota figures go in partitions {partitionType, quota{used, max?, type}},
// type PRIVATE when a max is set and SHARE (no max) when the holder shares the org pool.
std::string SpaceReply(const domain::Space& space);
std::string OrgReply(const domain::OrgUsage& usage);
std::string AppReply(const domain::AppUsage& usage);

// Which of the reference's dentry shapes to produce: Dentry, DentryT (+thumbnail) or DentryTC
// (+thumbnail, category). The thumbnail is present only when the caller asked withThumbnail
// and the file is an image one could be made of; the reference allows omitting it.
enum class DentryShape { kPlain, kWithThumbnail, kWithCategory };

// Thumbnail {width, height, url}.
struct ThumbnailJson {
  int32_t width = 0;
  int32_t height = 0;
  std::string url;
};

// Thumbnail {width, height, url} as the next value of `w`.
void WriteThumbnail(server::JsonWriter& w, const ThumbnailJson& thumbnail);

// A dentry as DingTalk JSON, written as the next value of `w` (dentry replies are written,
// not built: see server::JsonWriter). `viewer_app_id` and `only_apps` select the
// appProperties shown (domain::VisibleProperties). Folders carry no size and no extension.
// `thumbnail`, when given and the shape is not kPlain, is written as "thumbnail".
void WriteDentry(server::JsonWriter& w, const domain::Dentry& dentry, DentryShape shape,
                 std::string_view viewer_app_id, const std::vector<std::string>& only_apps = {},
                 const ThumbnailJson* thumbnail = nullptr);

// {"dentry": <dentry>}, the reply of the calls that answer one dentry.
std::string DentryReply(const domain::Dentry& dentry, DentryShape shape,
                        std::string_view viewer_app_id,
                        const std::vector<std::string>& only_apps = {},
                        const ThumbnailJson* thumbnail = nullptr);

// About what one dentry takes as JSON, to size a reply's buffer once.
inline constexpr size_t kDentryBytes = 512;

// {"dentries": [<dentry>...], "nextToken"?}, the reply of the listings (ListDentries,
// ListAllDentries, ListDentryVersions); nextToken only when another page follows.
// `thumbnails` is empty or holds one entry per dentry.
std::string PageReply(const domain::DentryPage& page, DentryShape shape,
                      std::string_view viewer_app_id,
                      const std::vector<std::optional<ThumbnailJson>>& thumbnails = {});

// {"task": {id, status, beginTime?, endTime?, totalCount, successCount, failCount,
// failMessage?}}: status INIT | IN_PROGRESS | SUCCESS | FAIL; beginTime once claimed, endTime
// once finished; failMessage (FAIL only) is the failure's DingTalk error code (MapError), the
// word a caller would have got had the operation run inline.
std::string TaskReply(const domain::Task& task);

// Role {id, name}: id is the role's wire id ("EDITOR"), name its display name ("Editor"),
// docs/api/dingtalk-v1.md "Permissions".
const char* RoleDisplayName(domain::Role role);
void WriteRole(server::JsonWriter& w, domain::Role role);

// {"permissions": [Permission...], "nextToken"?}, the ListPermissions reply. Permission is
// {spaceId, dentryId, member{type, id, corpId?}, role{id, name}, duration?, createTime,
// modifiedTime, operatorId}: duration, in seconds, only for a temporary grant (the length it
// was given for, expire_time - modified_time); corpId only when the grant names one.
std::string PermissionPageReply(const domain::PermissionPage& page);

// {"roleMap": {"<dentryId>": [Role...]}}, the BatchQueryRoles reply: one key per distinct id
// asked, an empty array where the user holds no role.
std::string RoleMapReply(const std::vector<domain::DentryRoles>& roles);

// HeaderSignatureInfo {resourceUrls, internalResourceUrls, headers, expirationSeconds, region}.
boost::json::object HeaderSignatureJson(const domain::TransferLink& link);

}  // namespace spacestore::api::dingtalk_v1
