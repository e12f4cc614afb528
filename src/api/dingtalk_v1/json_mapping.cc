#include "api/dingtalk_v1/json_mapping.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <unordered_set>

#include <boost/json/array.hpp>

#include "api/dingtalk_v1/errors.h"
#include "base/clock.h"
#include "domain/dentry_service.h"

namespace spacestore::api::dingtalk_v1 {

namespace json = boost::json;

namespace {
constexpr const char* kPartitionType = "PUBLIC_OSS_PARTITION";
}  // namespace

json::object Wrap(std::string_view key, json::value value) {
  json::object o;
  o.emplace(key, std::move(value));
  return o;
}

namespace {

// {"<key>": <what write writes>}, as text.
template <class Write>
std::string Wrapped(server::JsonName key, Write write) {
  server::JsonWriter w;
  w.BeginObject().Key(key);
  write(w);
  w.EndObject();
  return std::move(w).Finish();
}

// Partition {partitionType, quota{used, max?, type}}: type is PRIVATE when a max is set and
// SHARE (no max) when the holder shares the org pool.
void WritePartition(server::JsonWriter& w, int64_t used, std::optional<int64_t> max) {
  w.BeginObject().Member("partitionType", kPartitionType).Key("quota").BeginObject();
  w.Member("used", used);
  if (max) w.Member("max", *max);
  w.Member("type", max ? "PRIVATE" : "SHARE").EndObject().EndObject();
}

void WritePartitions(server::JsonWriter& w, int64_t used, std::optional<int64_t> max) {
  w.Key("partitions").BeginArray();
  WritePartition(w, used, max);
  w.EndArray();
}

}  // namespace

std::string SpaceReply(const domain::Space& s) {
  return Wrapped("space", [&](server::JsonWriter& w) {
    w.BeginObject().Member("id", s.id).Member("corpId", s.corp_id).Member("appId", s.app_id);
    if (!s.name.empty()) w.Member("name", s.name);
    w.Member("ownerType", domain::OwnerTypeName(s.owner_type)).Member("ownerId", s.owner_id);
    w.Member("creatorId", s.creator_id).Member("modifierId", s.modifier_id);
    w.Member("usedQuota", s.used_bytes);
    if (s.quota_bytes) w.Member("quota", *s.quota_bytes);
    w.Member("status", "NORMAL");
    w.Member("createTime", IsoSecondsText(s.create_time).view());
    w.Member("modifiedTime", IsoSecondsText(s.modified_time).view());
    w.Member("scene", s.scene).Member("sceneId", s.scene_id);
    w.Key("capabilities").BeginObject();
    w.Member("canSearch", s.capabilities.can_search);
    w.Member("canRename", s.capabilities.can_rename);
    w.Member("canRecordRecentFile", s.capabilities.can_record_recent_file);
    w.EndObject();
    WritePartitions(w, s.used_bytes, s.quota_bytes);
    w.EndObject();
  });
}

std::string OrgReply(const domain::OrgUsage& usage) {
  return Wrapped("org", [&](server::JsonWriter& w) {
    w.BeginObject().Member("corpId", usage.org.corp_id);
    // The org's own capacity is always dedicated, hence PRIVATE with its max.
    WritePartitions(w, usage.used_bytes, usage.org.capacity_bytes);
    w.EndObject();
  });
}

std::string AppReply(const domain::AppUsage& usage) {
  return Wrapped("app", [&](server::JsonWriter& w) {
    w.BeginObject().Member("appId", usage.app.app_id).Member("corpId", usage.app.corp_id);
    w.Member("name", usage.app.name);
    w.Member("createTime", IsoSecondsText(usage.app.create_time).view());
    w.Member("modifiedTime", IsoSecondsText(usage.app.modified_time).view());
    WritePartitions(w, usage.used_bytes, usage.app.quota_bytes);
    w.EndObject();
  });
}

namespace {

// The category DentryTC carries, from the file extension.
const char* Category(const std::string& extension) {
  std::string ext = extension;
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr auto kTable = std::to_array<std::pair<std::string_view, const char*>>(
      {{"doc", "DOCUMENT"},  {"docx", "DOCUMENT"}, {"pdf", "DOCUMENT"},  {"txt", "DOCUMENT"},
       {"md", "DOCUMENT"},   {"xls", "DOCUMENT"},  {"xlsx", "DOCUMENT"}, {"ppt", "DOCUMENT"},
       {"pptx", "DOCUMENT"}, {"csv", "DOCUMENT"},  {"jpg", "IMAGE"},     {"jpeg", "IMAGE"},
       {"png", "IMAGE"},     {"gif", "IMAGE"},     {"bmp", "IMAGE"},     {"webp", "IMAGE"},
       {"svg", "IMAGE"},     {"mp4", "VIDEO"},     {"mov", "VIDEO"},     {"avi", "VIDEO"},
       {"mkv", "VIDEO"},     {"mp3", "AUDIO"},     {"wav", "AUDIO"},     {"flac", "AUDIO"},
       {"aac", "AUDIO"},     {"zip", "ARCHIVE"},   {"rar", "ARCHIVE"},   {"7z", "ARCHIVE"},
       {"gz", "ARCHIVE"},    {"tar", "ARCHIVE"}});
  for (const auto& [e, category] : kTable) {
    if (ext == e) return category;
  }
  return "OTHER";
}

const char* StatusName(domain::DentryStatus s) {
  switch (s) {
    case domain::DentryStatus::kNormal:
      return "NORMAL";
    case domain::DentryStatus::kDeleted:
      return "DELETED";
    case domain::DentryStatus::kExpired:
      return "EXPIRED";
  }
  return "NORMAL";
}

}  // namespace

void WriteThumbnail(server::JsonWriter& w, const ThumbnailJson& thumbnail) {
  w.BeginObject().Member("width", int64_t{thumbnail.width});
  w.Member("height", int64_t{thumbnail.height}).Member("url", thumbnail.url).EndObject();
}

void WriteDentry(server::JsonWriter& w, const domain::Dentry& d, DentryShape shape,
                 std::string_view viewer_app_id, const std::vector<std::string>& only_apps,
                 const ThumbnailJson* thumbnail) {
  const bool file = !d.is_folder();
  const std::string extension = file ? domain::FileExtension(d.name) : std::string();
  w.BeginObject();
  w.Member("id", d.id).Member("spaceId", d.space_id).Member("parentId", d.parent_id);
  w.Member("type", file ? "FILE" : "FOLDER").Member("name", d.name);
  if (file) w.Member("size", d.size);
  w.Member("path", d.path).Member("version", d.version).Member("status", StatusName(d.status));
  if (file) w.Member("extension", extension);
  w.Member("creatorId", d.creator_id).Member("modifierId", d.modifier_id);
  w.Member("createTime", IsoSecondsText(d.create_time).view());
  w.Member("modifiedTime", IsoSecondsText(d.modified_time).view());
  w.Key("properties").BeginObject().Member("readOnly", d.read_only).EndObject();
  // {appId: [{name, value, visibility}, ...]}, apps in the order they first appear.
  const auto props = domain::VisibleProperties(d, viewer_app_id, only_apps);
  w.Key("appProperties").BeginObject();
  std::vector<std::string_view> apps;
  for (const auto& p : props) {
    if (std::find(apps.begin(), apps.end(), p.app_id) == apps.end()) apps.push_back(p.app_id);
  }
  for (const std::string_view app : apps) {
    w.Key(app).BeginArray();
    for (const auto& p : props) {
      if (p.app_id != app) continue;
      w.BeginObject().Member("name", p.name).Member("value", p.value);
      w.Member("visibility", p.is_public ? "PUBLIC" : "PRIVATE").EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  w.Member("uuid", d.uuid).Member("partitionType", kPartitionType);
  w.Member("storageDriver", "DINGTALK");
  if (thumbnail != nullptr && shape != DentryShape::kPlain) {
    w.Key("thumbnail");
    WriteThumbnail(w, *thumbnail);
  }
  if (shape == DentryShape::kWithCategory && file) w.Member("category", Category(extension));
  w.EndObject();
}

std::string DentryReply(const domain::Dentry& dentry, DentryShape shape,
                        std::string_view viewer_app_id, const std::vector<std::string>& only_apps,
                        const ThumbnailJson* thumbnail) {
  return Wrapped("dentry", [&](server::JsonWriter& w) {
    WriteDentry(w, dentry, shape, viewer_app_id, only_apps, thumbnail);
  });
}

std::string PageReply(const domain::DentryPage& page, DentryShape shape,
                      std::string_view viewer_app_id,
                      const std::vector<std::optional<ThumbnailJson>>& thumbnails) {
  server::JsonWriter w(kDentryBytes * (page.dentries.size() + 1));
  w.BeginObject().Key("dentries").BeginArray();
  for (size_t i = 0; i < page.dentries.size(); ++i) {
    const ThumbnailJson* thumbnail =
        i < thumbnails.size() && thumbnails[i] ? &*thumbnails[i] : nullptr;
    WriteDentry(w, page.dentries[i], shape, viewer_app_id, {}, thumbnail);
  }
  w.EndArray();
  if (!page.next_cursor.empty()) w.Member("nextToken", page.next_cursor);
  w.EndObject();
  return std::move(w).Finish();
}

json::object HeaderSignatureJson(const domain::TransferLink& link) {
  json::object headers;
  for (const auto& [k, v] : link.headers) headers[k] = v;
  json::object o;
  o["resourceUrls"] = json::array{json::string(link.url)};
  o["internalResourceUrls"] = json::array{json::string(link.url)};
  o["headers"] = std::move(headers);
  o["expirationSeconds"] = link.expiration_seconds;
  o["region"] = "UNKNOWN";
  return o;
}

std::string TaskReply(const domain::Task& task) {
  static constexpr std::array<std::string_view, 4> kStatus = {"INIT", "IN_PROGRESS", "SUCCESS",
                                                              "FAIL"};
  server::JsonWriter w(256);
  w.BeginObject().Key("task").BeginObject();
  w.Member("id", task.id).Member("status", kStatus.at(static_cast<size_t>(task.status)));
  if (task.begin_time > 0) w.Member("beginTime", IsoSecondsText(task.begin_time).view());
  if (task.end_time > 0) w.Member("endTime", IsoSecondsText(task.end_time).view());
  w.Member("totalCount", task.counts.total)
      .Member("successCount", task.counts.success)
      .Member("failCount", task.counts.fail);
  if (task.status == domain::TaskStatus::kFailed && task.failure) {
    w.Member("failMessage", MapError(*task.failure).code);
  }
  w.EndObject().EndObject();
  return std::move(w).Finish();
}

const char* RoleDisplayName(domain::Role role) {
  switch (role) {
    case domain::Role::kReader:
      return "Reader";
    case domain::Role::kDownloader:
      return "Downloader";
    case domain::Role::kEditor:
      return "Editor";
    case domain::Role::kManager:
      return "Manager";
    case domain::Role::kOwner:
      return "Owner";
    case domain::Role::kNone:
      break;
  }
  return "";
}

void WriteRole(server::JsonWriter& w, domain::Role role) {
  w.BeginObject()
      .Member("id", domain::RoleName(role))
      .Member("name", RoleDisplayName(role))
      .EndObject();
}

std::string PermissionPageReply(const domain::PermissionPage& page) {
  server::JsonWriter w(320 * (page.permissions.size() + 1));
  w.BeginObject().Key("permissions").BeginArray();
  for (const domain::Grant& g : page.permissions) {
    w.BeginObject().Member("spaceId", g.space_id).Member("dentryId", g.dentry_id);
    w.Key("member").BeginObject().Member("type", domain::MemberTypeName(g.member_type));
    w.Member("id", g.member_id);
    if (!g.member_corp_id.empty()) w.Member("corpId", g.member_corp_id);
    w.EndObject().Key("role");
    WriteRole(w, g.role);
    // The length the grant was given for: it runs from its last add or update
    // (docs/permissions.md, Expiry), so a client can tell a fresh grant from a renewed one.
    if (g.expire_time) w.Member("duration", (*g.expire_time - g.modified_time) / 1000);
    w.Member("createTime", IsoSecondsText(g.create_time).view())
        .Member("modifiedTime", IsoSecondsText(g.modified_time).view())
        .Member("operatorId", g.operator_id)
        .EndObject();
  }
  w.EndArray();
  if (!page.next_token.empty()) w.Member("nextToken", page.next_token);
  w.EndObject();
  return std::move(w).Finish();
}

std::string RoleMapReply(const std::vector<domain::DentryRoles>& roles) {
  server::JsonWriter w(64 * (roles.size() + 1));
  w.BeginObject().Key("roleMap").BeginObject();
  // An id asked twice is one key: a JSON object with a repeated key is read differently by
  // different parsers.
  std::unordered_set<std::string_view> seen;
  for (const domain::DentryRoles& entry : roles) {
    if (!seen.insert(entry.dentry_id).second) continue;
    w.Key(entry.dentry_id).BeginArray();
    for (const domain::Role role : entry.roles) WriteRole(w, role);
    w.EndArray();
  }
  w.EndObject().EndObject();
  return std::move(w).Finish();
}

}  // namespace spacestore::api::dingtalk_v1
