#pragma once

#include <cstdint>
#include <optional>

#include <boost/json/object.hpp>

#include "domain/dentry.h"
#include "domain/space.h"
#include "domain/space_service.h"
#include "domain/url_signer.h"
#include "server/json_writer.h"

namespace spacestore::api::dingtalk_v1 {

// Domain values as DingTalk JSON, with the reference's field names and JSON types
// (section 3). Optional fields that have no value are omitted, never null.

// Every builder takes the storage to build in (default: the heap). DingTalkApi builds each
// answer in one arena (a page of dentries is hundreds of small nodes); values only move
// without copying between containers of the same storage.

// {"key": value}, moving `value` in (an initializer list would copy it).
boost::json::object Wrap(std::string_view key, boost::json::value value,
                         boost::json::storage_ptr sp = {});

// Partition {partitionType, quota{used, max?, reserved?, type}}: type is PRIVATE when a max is
// set and SHARE (no max) when the holder shares the org pool.
boost::json::object PartitionJson(int64_t used, std::optional<int64_t> max,
                                  boost::json::storage_ptr sp = {});

boost::json::object SpaceJson(const domain::Space& space, boost::json::storage_ptr sp = {});
boost::json::object OrgJson(const domain::OrgUsage& usage);
boost::json::object AppJson(const domain::AppUsage& usage);

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

// HeaderSignatureInfo {resourceUrls, internalResourceUrls, headers, expirationSeconds, region}.
boost::json::object HeaderSignatureJson(const domain::SignedRequest& request);

}  // namespace spacestore::api::dingtalk_v1
