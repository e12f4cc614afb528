#pragma once

#include <cstdint>
#include <optional>

#include <boost/json/object.hpp>

#include "domain/dentry.h"
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
// (+thumbnail, category). No thumbnail is ever produced (there is no rendering pipeline; the
// reference allows omitting it).
enum class DentryShape { kPlain, kWithThumbnail, kWithCategory };

// A dentry as DingTalk JSON, written as the next value of `w` (dentry replies are written,
// not built: see server::JsonWriter). `viewer_app_id` and `only_apps` select the
// appProperties shown (domain::VisibleProperties). Folders carry no size and no extension.
void WriteDentry(server::JsonWriter& w, const domain::Dentry& dentry, DentryShape shape,
                 std::string_view viewer_app_id, const std::vector<std::string>& only_apps = {});

// {"dentry": <dentry>}, the reply of the calls that answer one dentry.
std::string DentryReply(const domain::Dentry& dentry, DentryShape shape,
                        std::string_view viewer_app_id,
                        const std::vector<std::string>& only_apps = {});

// {"task": {id, status, beginTime?, endTime?, totalCount, successCount, failCount,
// failMessage?}}: status INIT | IN_PROGRESS | SUCCESS | FAIL; beginTime once claimed, endTime
// once finished; failMessage (FAIL only) is the failure's DingTalk error code (MapError), the
// word a caller would have got had the operation run inline.
std::string TaskReply(const domain::Task& task);

// HeaderSignatureInfo {resourceUrls, internalResourceUrls, headers, expirationSeconds, region}.
boost::json::object HeaderSignatureJson(const domain::TransferLink& link);

}  // namespace spacestore::api::dingtalk_v1
