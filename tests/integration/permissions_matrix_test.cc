// The capability matrix of docs/permissions.md, cell by cell, on the real binary: every storage
// endpoint of both dialects x actor (nobody, READER, DOWNLOADER, EDITOR, MANAGER, the space's
// owner and creator) x space type (USER, APP) x where the grant is (on the dentry the call
// names, three folders up, elsewhere in the space) x expiry (APP spaces: a live temporary grant
// and one whose duration of 1 s has passed); on KooDrive also the app acting without a user. Each
// cell asserts allowed (2xx, or the dentry listed) or refused (403 permissionDenied, KooDrive's
// 13000410, or the batch item's `permissionDenied`).
//
// The expected answers are computed, never written per cell: kMatrix (capability -> minimum
// role, the docs' table) and kEndpoints (endpoint -> the capabilities it needs and on which
// dentry) decide every cell through the grants the cell made, so changing one row of kMatrix
// changes every cell it decides. TableMirrorsTheDocs checks kMatrix against the docs' table.
//
// How it stays fast: one server; one space per (space type, endpoint); every cell gets its own
// dentries under /a/b/c (writes consume them) and its own user, so cells are independent and
// run on a few threads; the fixtures are all built first, then the suite waits once for the
// 1 s grants to expire, then runs every cell.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "permission_client.h"
#include "server_process.h"
#include "storage/thumbnail/thumbnail_test_images.h"

namespace spacestore {
namespace {

namespace json = boost::json;
using testing::PermissionClient;
using testing::Reply;
using testing::ServerProcess;
using SpaceType = PermissionClient::SpaceType;
using Clock = std::chrono::steady_clock;

// ============================== The matrix (docs/permissions.md) ==============================

enum class Role { kNone, kReader, kDownloader, kEditor, kManager, kOwner };

const char* RoleName(Role role) {
  switch (role) {
    case Role::kNone:
      return "none";
    case Role::kReader:
      return "READER";
    case Role::kDownloader:
      return "DOWNLOADER";
    case Role::kEditor:
      return "EDITOR";
    case Role::kManager:
      return "MANAGER";
    case Role::kOwner:
      return "OWNER";
  }
  return "?";
}

enum class Capability {
  kReadMetadata,
  kList,
  kDownload,
  kUpload,
  kAddFolder,
  kRename,
  kMove,
  kCopyOut,
  kCopyIn,
  kDelete,
  kRestore,
  kManageVersions,
  kSetAppProperties,
  kListPermissions,
  kManagePermissions,
  kManageSpace,
  kOpenPreview,
  kOpenEdit,
  kRegisterOpenInfo,
  kOpenOffice,
};

// "The capability matrix": the weakest role that may do each capability, in a USER space and in
// an APP space. The columns differ only where the grant rules say so: in an APP space "any user
// acting through the app that owns the space" may grant.
struct MatrixRow {
  Capability capability;
  const char* doc_name;  // The capability as the docs' table names it.
  Role user_space;
  Role app_space;
};
constexpr MatrixRow kMatrix[] = {
    {Capability::kReadMetadata, "read metadata", Role::kReader, Role::kReader},
    {Capability::kList, "list", Role::kReader, Role::kReader},
    {Capability::kDownload, "download", Role::kDownloader, Role::kDownloader},
    {Capability::kUpload, "upload / commit", Role::kEditor, Role::kEditor},
    {Capability::kAddFolder, "add folder", Role::kEditor, Role::kEditor},
    {Capability::kRename, "rename", Role::kEditor, Role::kEditor},
    {Capability::kMove, "move", Role::kEditor, Role::kEditor},
    {Capability::kCopyOut, "copy out", Role::kDownloader, Role::kDownloader},
    {Capability::kCopyIn, "copy in", Role::kEditor, Role::kEditor},
    {Capability::kDelete, "delete", Role::kEditor, Role::kEditor},
    {Capability::kRestore, "restore", Role::kEditor, Role::kEditor},
    {Capability::kManageVersions, "manage versions", Role::kEditor, Role::kEditor},
    {Capability::kSetAppProperties, "set app properties", Role::kEditor, Role::kEditor},
    // In an APP space the owning app lists grants too (the docs' grant rules).
    {Capability::kListPermissions, "list permissions", Role::kReader, Role::kNone},
    {Capability::kManagePermissions, "grant and revoke", Role::kManager, Role::kNone},
    {Capability::kManageSpace, "manage space", Role::kOwner, Role::kOwner},
    {Capability::kOpenPreview, "preview", Role::kReader, Role::kReader},
    {Capability::kOpenEdit, "edit online", Role::kEditor, Role::kEditor},
    {Capability::kRegisterOpenInfo, "register open infos", Role::kEditor, Role::kEditor},
    {Capability::kOpenOffice, "open in WebOffice", Role::kReader, Role::kReader},
};

Role MinimumRole(Capability capability, SpaceType type) {
  for (const auto& row : kMatrix) {
    if (row.capability == capability)
      return type == SpaceType::kUser ? row.user_space : row.app_space;
  }
  throw std::logic_error("capability missing from kMatrix");
}

// Where a check takes its role.
enum class On {
  kSpace,    // Anywhere in the space (GetSpace): the strongest role the actor has in it.
  kRoot,     // The space itself.
  kSubject,  // The dentry the call names (a recycle item: its original parent folder).
  kTarget,   // The folder a move or copy goes into.
};

struct Check {
  Capability capability;
  On on;
  // A batch call may refuse this check for the whole call (403) instead of per item: the
  // target folder is the same for every item.
  bool whole_call_may_refuse = false;
};

// What a cell makes before its call.
enum class Subject {
  kNone,             // Nothing: the call is about the space.
  kFolder,           // A folder /a/b/c/s<n>.
  kFile,             // A GIF file /a/b/c/s<n>.gif.
  kFileTwoVersions,  // The same, committed twice.
  kFileShared,       // The same, with READER granted to pm_grantee (for UpdatePermission).
  kRecycled,         // A folder /a/b/c/s<n> (the subject) whose file is in the recycle bin.
  kOwnSpace,         // A space of its own (the call deletes it); the subject is its root.
};

// ============================== Cells ==============================

enum class Place { kOnDentry, kThreeUp, kElsewhere };

const char* PlaceName(Place place) {
  switch (place) {
    case Place::kOnDentry:
      return "on the dentry";
    case Place::kThreeUp:
      return "three folders up";
    case Place::kElsewhere:
      return "elsewhere in the space";
  }
  return "?";
}

// Who acts in a cell.
struct Actor {
  // kApp: the app acting without a user (KooDrive without X-User-Id), OWNER of every space.
  enum Kind { kNobody, kOwner, kApp, kGranted } kind = kNobody;
  Role role = Role::kNone;
  Place place = Place::kOnDentry;
  bool expired = false;

  std::string User() const {
    if (kind == kOwner) return PermissionClient::kOwner;
    if (kind == kApp) return "";
    if (kind == kNobody) return "pm_nobody";
    static const char* kPlaces[] = {"dentry", "up3", "elsewhere"};
    std::string role_name = RoleName(role);
    for (char& ch : role_name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return "pm_" + role_name + "_" + kPlaces[static_cast<int>(place)] +
           (expired ? "_expired" : "_live");
  }
  std::string Describe() const {
    if (kind == kOwner) return "the space's owner and creator";
    if (kind == kApp) return "the app without a user";
    if (kind == kNobody) return "a user without a grant";
    return std::string(RoleName(role)) + " granted " + PlaceName(place) +
           (expired ? " (expired)" : "");
  }
};

std::vector<Actor> Actors(SpaceType type) {
  std::vector<Actor> out{{Actor::kNobody}, {Actor::kOwner}, {Actor::kApp}};
  for (const bool expired : {false, true}) {
    if (expired && type == SpaceType::kUser) continue;  // USER spaces take permanent grants.
    for (const Role role : {Role::kReader, Role::kDownloader, Role::kEditor, Role::kManager}) {
      for (const Place place : {Place::kOnDentry, Place::kThreeUp, Place::kElsewhere}) {
        out.push_back({Actor::kGranted, role, place, expired});
      }
    }
  }
  return out;
}

// A grant as the model sees it: a role on a path ("/" is the root).
struct ModelGrant {
  std::string path;
  Role role;
  bool live;
};

struct Endpoint;

struct Cell {
  const Endpoint* endpoint = nullptr;
  SpaceType type = SpaceType::kUser;
  Actor actor;
  int n = 0;
  // Built before the call.
  std::string space;
  std::string koodrive_owner;              // The space's ownerId (KooDrive addresses spaces by it).
  std::map<std::string, std::string> ids;  // Path -> dentry id.
  std::string subject_path = "/";
  std::string target_path;
  std::string recycled_dentry;  // kRecycled: the file in the bin, and its item.
  std::string recycle_bin;
  std::string recycle_item;
  std::vector<ModelGrant> grants;

  const std::string& Id(const std::string& path) const { return ids.at(path); }
  const std::string& SubjectId() const { return Id(subject_path); }
  std::string Name() const;
};

bool Covers(const std::string& granted, const std::string& path) {
  return granted == "/" || path == granted || path.rfind(granted + "/", 0) == 0;
}

Role RoleOn(const Cell& cell, const std::string& path) {
  Role role = cell.actor.kind == Actor::kOwner || cell.actor.kind == Actor::kApp ? Role::kOwner
                                                                                 : Role::kNone;
  for (const auto& g : cell.grants) {
    if (g.live && Covers(g.path, path)) role = std::max(role, g.role);
  }
  return role;
}

Role RoleAnywhere(const Cell& cell) {
  Role role = cell.actor.kind == Actor::kOwner || cell.actor.kind == Actor::kApp ? Role::kOwner
                                                                                 : Role::kNone;
  for (const auto& g : cell.grants) {
    if (g.live) role = std::max(role, g.role);
  }
  return role;
}

std::string PathOf(const Cell& cell, On on) {
  switch (on) {
    case On::kSpace:
    case On::kRoot:
      return "/";
    case On::kSubject:
      return cell.subject_path;
    case On::kTarget:
      return cell.target_path;
  }
  return "/";
}

// ============================== Endpoints ==============================

// What a call showed.
struct Observed {
  enum Outcome { kAllowed, kDenied, kUnexpected } outcome = kUnexpected;
  bool whole_call = false;  // A batch call refused as a whole (403), not per item.
  std::string detail;
  // KooDrive's "Space not found" for a space found by its owner: a refusal only right for an
  // actor who may not see the space at all (the docs: it does not reveal that it exists).
  bool hidden = false;
};

Observed Single(const Reply& r) {
  if (r.ok()) return {Observed::kAllowed, false, r.Text()};
  if (r.status == 403 && r.Code() == "permissionDenied") return {Observed::kDenied, true, r.Text()};
  return {Observed::kUnexpected, false, r.Text()};
}

// A batch reply of one item.
Observed Item(const Reply& r) {
  if (r.status == 403 && r.Code() == "permissionDenied") return {Observed::kDenied, true, r.Text()};
  if (r.status != 200 || !r.body.is_object() || !r.body.as_object().contains("resultItems")) {
    return {Observed::kUnexpected, false, r.Text()};
  }
  const auto& item = r.body.at("resultItems").at(0).as_object();
  const auto flag = [&](const char* key) {
    return item.contains(key) && item.at(key).is_bool() && item.at(key).as_bool();
  };
  if (flag("success") || flag("async")) return {Observed::kAllowed, false, r.Text()};
  if (item.contains("errorCode") && item.at("errorCode").is_string() &&
      item.at("errorCode").as_string() == "permissionDenied") {
    return {Observed::kDenied, false, r.Text()};
  }
  return {Observed::kUnexpected, false, r.Text()};
}

// KooDrive: code 0, or 400 with the permission code 13000410.
Observed KooDriveOutcome(const Reply& r) {
  const auto* o = r.body.if_object();
  const bool has_code = o != nullptr && o->contains("code") && o->at("code").is_int64();
  if (r.ok() && has_code && o->at("code").as_int64() == 0)
    return {Observed::kAllowed, false, r.Text()};
  if (r.status == 400 && has_code && o->at("code").as_int64() == 13000410) {
    return {Observed::kDenied, true, r.Text()};
  }
  if (r.status == 400 && has_code && o->at("code").as_int64() == 13000301) {
    return {Observed::kDenied, true, r.Text(), true};
  }
  return {Observed::kUnexpected, false, r.Text()};
}

// How a call's answer is read.
enum class Shape {
  kStatus,      // 2xx, or 403 permissionDenied.
  kItem,        // A batch of one: the item's success, or its permissionDenied.
  kListed,      // ListAllDentries: the subject listed or not.
  kNewFile,     // GetFileUploadInfo (parentId: the subject folder), PUT, CommitFile.
  kNewVersion,  // GetFileUploadInfo (no parent), PUT, CommitFile with overwriteDentryId.
  kDownload,    // GetFileDownloadInfo, then a GET of the signed URL.
  kKooDrive,    // The envelope's code 0, or 400 13000410.
};

// One endpoint: what its cells make, what it needs and on which dentry, and the request. In
// `target` and `body`: {space}, {dentry} (the subject's id), {target} (the folder moved or
// copied into), {n} (the cell's number), {bin} and {item} (the recycle item), {owner} and
// {type} (KooDrive's address of the space), {grant} (an AddPermission body).
struct Endpoint {
  const char* name;
  Subject subject;
  std::vector<Check> checks;
  Shape shape;
  const char* method;
  const char* target;  // After /v1.0/storage, or a whole /koodrive/ path.
  const char* body;
};

std::string GifData() { return storage::testimages::Gif1x1(); }

// A grant to pm_grantee, the member of the grant calls: temporary in APP spaces.
std::optional<int64_t> GranteeDuration(const Cell& c) {
  return c.type == SpaceType::kApp ? std::optional<int64_t>(3600) : std::nullopt;
}

std::string Expand(std::string text, const Cell& c) {
  const auto duration = GranteeDuration(c);
  const std::pair<const char*, std::string> vars[] = {
      {"{space}", c.space},
      {"{dentry}", c.SubjectId()},
      {"{target}", c.target_path.empty() ? "" : c.Id(c.target_path)},
      {"{n}", std::to_string(c.n)},
      {"{bin}", c.recycle_bin},
      {"{item}", c.recycle_item},
      {"{owner}", c.koodrive_owner},
      {"{type}", c.type == SpaceType::kUser ? "1" : "0"},
      {"{grant}", PermissionClient::GrantBody("pm_grantee", "READER", duration)},
      {"{regrant}", PermissionClient::GrantBody("pm_grantee", "DOWNLOADER", duration)},
  };
  for (const auto& [name, value] : vars) {
    for (size_t at = text.find(name); at != std::string::npos; at = text.find(name, at)) {
      text.replace(at, std::strlen(name), value);
      at += value.size();
    }
  }
  return text;
}

Observed Upload(const PermissionClient& api, const Cell& cell, bool overwrite) {
  const std::string user = cell.actor.User();
  const auto [r, step] = overwrite
                             ? api.Upload(user, cell.space, cell.Id("/a/b/c"), "ignored.gif",
                                          GifData(), cell.SubjectId())
                             : api.Upload(user, cell.space, cell.SubjectId(), "up.gif", GifData());
  Observed o = Single(r);
  o.detail = step + ": " + o.detail;
  // "Signed upload URLs are handed out only after the check passes": a new file refused only
  // at its commit got a URL it should not have.
  if (!overwrite && o.outcome == Observed::kDenied && step != "info") {
    o.outcome = Observed::kUnexpected;
  }
  return o;
}

Observed CallCell(const PermissionClient& api, const Cell& c) {
  const Endpoint& e = *c.endpoint;
  const std::string user = c.actor.User();
  const std::string target = Expand(e.target, c);
  const std::string body = Expand(e.body, c);
  switch (e.shape) {
    case Shape::kStatus:
      return Single(api.Call(user, e.method, "/v1.0/storage" + target, body));
    case Shape::kItem:
      return Item(api.Call(user, e.method, "/v1.0/storage" + target, body));
    case Shape::kKooDrive:
      return KooDriveOutcome(api.KooDrive(user, e.method, target, body));
    case Shape::kNewFile:
      return Upload(api, c, false);
    case Shape::kNewVersion:
      return Upload(api, c, true);
    case Shape::kListed: {
      const auto [r, ids] = api.ListAllIds(user, c.space);
      const Observed o = Single(r);
      if (o.outcome != Observed::kAllowed) return o;
      const bool listed = std::find(ids.begin(), ids.end(), c.SubjectId()) != ids.end();
      return {listed ? Observed::kAllowed : Observed::kDenied, false,
              listed ? "listed" : "not listed"};
    }
    case Shape::kDownload: {
      const Reply info = api.Call(user, e.method, "/v1.0/storage" + target, body);
      Observed o = Single(info);
      if (o.outcome != Observed::kAllowed) return o;
      const auto [path, headers] = testing::Client::Signed(info.body.at("headerSignatureInfo"));
      const auto got = api.server().Request("GET", path, "", headers);
      if (got.status != 200 || got.body != GifData()) {
        return {Observed::kUnexpected, false,
                "the signed URL answered " + std::to_string(got.status)};
      }
      return o;
    }
  }
  return {};
}

const std::vector<Endpoint>& Endpoints() {
  using C = Capability;
  // One endpoint per entry, in the order of the docs' matrix.
  // clang-format off
  static const std::vector<Endpoint> kEndpoints = {
      {"GetSpace", Subject::kNone, {{C::kReadMetadata, On::kSpace}},
       Shape::kStatus, "GET", "/spaces/{space}", ""},
      {"SubscribeEvent", Subject::kNone, {{C::kReadMetadata, On::kSpace}},
       Shape::kStatus, "POST", "/events/subscribe", R"({"scope":"SPACE","scopeId":"{space}"})"},
      {"GetDentry", Subject::kFile, {{C::kReadMetadata, On::kSubject}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/query", "{}"},
      {"GetDentries", Subject::kFile, {{C::kReadMetadata, On::kSubject}},
       Shape::kItem, "POST", "/spaces/{space}/dentries/query", R"({"dentryIds":["{dentry}"]})"},
      {"ListDentries", Subject::kFolder, {{C::kList, On::kSubject}},
       Shape::kStatus, "GET", "/spaces/{space}/dentries?parentId={dentry}", ""},
      {"ListAllDentries", Subject::kFile, {{C::kList, On::kSubject}},
       Shape::kListed, "", "", ""},
      {"AddFolder", Subject::kFolder, {{C::kAddFolder, On::kSubject}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/folders", R"({"name":"new"})"},
      {"RenameDentry", Subject::kFile, {{C::kRename, On::kSubject}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/rename",
       R"({"newName":"r{n}.gif"})"},
      {"MoveDentry", Subject::kFile, {{C::kMove, On::kSubject}, {C::kCopyIn, On::kTarget}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/move",
       R"({"targetSpaceId":"{space}","targetFolderId":"{target}"})"},
      {"CopyDentry", Subject::kFile, {{C::kCopyOut, On::kSubject}, {C::kCopyIn, On::kTarget}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/copy",
       R"({"targetSpaceId":"{space}","targetFolderId":"{target}"})"},
      {"DeleteDentry", Subject::kFile, {{C::kDelete, On::kSubject}},
       Shape::kStatus, "DELETE", "/spaces/{space}/dentries/{dentry}?toRecycleBin=false", ""},
      {"MoveDentries", Subject::kFile, {{C::kMove, On::kSubject}, {C::kCopyIn, On::kTarget, true}},
       Shape::kItem, "POST", "/spaces/{space}/dentries/batchMove",
       R"({"dentryIds":["{dentry}"],"targetSpaceId":"{space}","targetFolderId":"{target}"})"},
      {"CopyDentries", Subject::kFile,
       {{C::kCopyOut, On::kSubject}, {C::kCopyIn, On::kTarget, true}},
       Shape::kItem, "POST", "/spaces/{space}/dentries/batchCopy",
       R"({"dentryIds":["{dentry}"],"targetSpaceId":"{space}","targetFolderId":"{target}"})"},
      {"DeleteDentries", Subject::kFile, {{C::kDelete, On::kSubject}},
       Shape::kItem, "POST", "/spaces/{space}/dentries/batchRemove",
       R"({"dentryIds":["{dentry}"]})"},
      {"GetFileUploadInfo+PUT+CommitFile", Subject::kFolder, {{C::kUpload, On::kSubject}},
       Shape::kNewFile, "", "", ""},
      {"CommitFile overwriteDentryId", Subject::kFile,
       {{C::kUpload, On::kSpace}, {C::kUpload, On::kSubject}},
       Shape::kNewVersion, "", "", ""},
      {"InitMultipartFileUpload", Subject::kFolder, {{C::kUpload, On::kSubject}},
       Shape::kStatus, "POST", "/spaces/{space}/files/multiPartUploadInfos/init",
       R"({"option":{"preCheckParam":{"parentId":"{dentry}","size":1048576}}})"},
      {"GetFileDownloadInfo", Subject::kFile, {{C::kDownload, On::kSubject}},
       Shape::kDownload, "POST", "/spaces/{space}/dentries/{dentry}/downloadInfos/query", "{}"},
      {"GetDentryThumbnails", Subject::kFile, {{C::kReadMetadata, On::kSubject}},
       Shape::kItem, "POST", "/spaces/{space}/thumbnails/query", R"({"dentryIds":["{dentry}"]})"},
      {"ListDentryVersions", Subject::kFileTwoVersions, {{C::kReadMetadata, On::kSubject}},
       Shape::kStatus, "GET", "/spaces/{space}/dentries/{dentry}/versions", ""},
      {"RevertDentryVersion", Subject::kFileTwoVersions, {{C::kManageVersions, On::kSubject}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/versions/1/revert", ""},
      {"UpdateDentryAppProperties", Subject::kFile, {{C::kSetAppProperties, On::kSubject}},
       Shape::kStatus, "PUT", "/spaces/{space}/dentries/{dentry}/appProperties",
       R"({"appProperties":[{"name":"k","value":"v","visibility":"PUBLIC"}]})"},
      {"DeleteDentryAppProperties", Subject::kFile, {{C::kSetAppProperties, On::kSubject}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/appProperties/remove",
       R"({"propertyNames":["k"]})"},
      {"RestoreRecycleItem", Subject::kRecycled, {{C::kRestore, On::kSubject}},
       Shape::kStatus, "POST", "/recycleBins/{bin}/recycleItems/{item}/restore", "{}"},
      {"DeleteRecycleItem", Subject::kRecycled, {{C::kRestore, On::kSubject}},
       Shape::kStatus, "DELETE", "/recycleBins/{bin}/recycleItems/{item}", ""},
      {"ListPermissions", Subject::kFile, {{C::kListPermissions, On::kSubject}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/permissions/query", "{}"},
      {"AddPermission", Subject::kFile, {{C::kManagePermissions, On::kSubject}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/permissions", "{grant}"},
      {"UpdatePermission", Subject::kFileShared, {{C::kManagePermissions, On::kSubject}},
       Shape::kStatus, "PUT", "/spaces/{space}/dentries/{dentry}/permissions", "{regrant}"},
      {"DeletePermission", Subject::kFile, {{C::kManagePermissions, On::kSubject}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/permissions/remove",
       R"({"roleId":"READER","members":[{"type":"USER","id":"pm_grantee"}]})"},
      {"GetDentryOpenInfo", Subject::kFile, {{C::kOpenPreview, On::kSubject}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/openInfos/query",
       R"({"option":{"type":"PREVIEW"}})"},
      {"RegisterOpenInfo", Subject::kFile, {{C::kRegisterOpenInfo, On::kSubject}},
       Shape::kStatus, "POST", "/spaces/{space}/dentries/{dentry}/openInfos/register",
       R"({"provider":"MS_OFFICE","openInfos":[{"openType":"EDIT","url":"https://x.test/e"}]})"},
      {"GetWebOfficeUrl", Subject::kFile, {{C::kOpenOffice, On::kSubject}},
       Shape::kStatus, "GET", "/spaces/{space}/dentries/{dentry}/webOfficeUrls", ""},
      {"KooDrive GetSpaceByContainerId", Subject::kNone, {{C::kReadMetadata, On::kSpace}},
       Shape::kKooDrive, "GET", "/koodrive/ose/v1/space/container/{space}", ""},
      {"KooDrive ModifySpace", Subject::kNone, {{C::kManageSpace, On::kRoot}},
       Shape::kKooDrive, "PUT", "/koodrive/ose/v1/space/{owner}",
       R"({"type":{type},"containerId":"{space}","capacity":2})"},
      {"KooDrive DeleteSpace", Subject::kOwnSpace, {{C::kManageSpace, On::kRoot}},
       Shape::kKooDrive, "DELETE",
       "/koodrive/ose/v1/space/{owner}?type={type}&containerId={space}", ""},
  };
  // clang-format on
  return kEndpoints;
}

// Whether the matrix allows the cell's call.
bool Expected(const Cell& cell) {
  for (const auto& check : cell.endpoint->checks) {
    const Role needed = MinimumRole(check.capability, cell.type);
    const Role has =
        check.on == On::kSpace ? RoleAnywhere(cell) : RoleOn(cell, PathOf(cell, check.on));
    if (has < needed) return false;
  }
  return true;
}

// Whether a refusal of the whole batch call is a right answer for the cell: when the actor has
// no role anywhere in the space (the space is checked before the items, as GetSpace), or when a
// check that may refuse the whole call fails.
bool WholeCallRefusalAllowed(const Cell& cell) {
  if (RoleAnywhere(cell) == Role::kNone) return true;
  for (const auto& check : cell.endpoint->checks) {
    if (!check.whole_call_may_refuse) continue;
    if (RoleOn(cell, PathOf(cell, check.on)) < MinimumRole(check.capability, cell.type)) {
      return true;
    }
  }
  return false;
}

std::string Cell::Name() const {
  return std::string(type == SpaceType::kUser ? "[USER] " : "[APP] ") + endpoint->name + " by " +
         actor.Describe();
}

// ============================== Fixtures ==============================

// The space's skeleton: /a/b/c and /other.
void BuildSkeleton(const PermissionClient& api, SpaceType type, const std::string& scene_id,
                   Cell& proto) {
  const json::object space = api.AddSpace(type, scene_id);
  proto.space = std::string(space.at("id").as_string());
  proto.koodrive_owner = std::string(space.at("ownerId").as_string());
  proto.ids["/"] = "0";
  proto.ids["/a"] = api.AddFolder(proto.space, "0", "a");
  proto.ids["/a/b"] = api.AddFolder(proto.space, proto.ids["/a"], "b");
  proto.ids["/a/b/c"] = api.AddFolder(proto.space, proto.ids["/a/b"], "c");
  proto.ids["/other"] = api.AddFolder(proto.space, "0", "other");
}

class Expiry {
 public:
  void Granted() {
    const std::lock_guard lock(mu_);
    last_ = std::max(last_, Clock::now());
  }
  // Waits until every 1 s grant made so far has passed its duration (with a margin for the
  // server's clock granularity).
  void WaitUntilPassed() const {
    std::this_thread::sleep_until(last_ + std::chrono::milliseconds(1300));
  }

 private:
  std::mutex mu_;
  Clock::time_point last_{};
};

// The cell's own dentries and grants.
void BuildCell(const PermissionClient& api, Cell& cell, Expiry& expiry) {
  const std::string n = std::to_string(cell.n);
  const std::string c = cell.Id("/a/b/c");
  switch (cell.endpoint->subject) {
    case Subject::kNone:
    case Subject::kOwnSpace:
      break;
    case Subject::kFolder:
      cell.subject_path = "/a/b/c/s" + n;
      cell.ids[cell.subject_path] = api.AddFolder(cell.space, c, "s" + n);
      break;
    case Subject::kFile:
    case Subject::kFileTwoVersions:
    case Subject::kFileShared: {
      cell.subject_path = "/a/b/c/s" + n + ".gif";
      const std::string id = api.PutFile(cell.space, c, "s" + n + ".gif", GifData());
      if (cell.endpoint->subject == Subject::kFileTwoVersions) {
        api.PutFile(cell.space, c, "s" + n + ".gif", GifData() + "v2", id);
      }
      if (cell.endpoint->subject == Subject::kFileShared) {
        api.Grant(cell.space, id, "pm_grantee", "READER", GranteeDuration(cell));
      }
      cell.ids[cell.subject_path] = id;
      break;
    }
    case Subject::kRecycled: {
      cell.subject_path = "/a/b/c/s" + n;
      const std::string folder = api.AddFolder(cell.space, c, "s" + n);
      cell.ids[cell.subject_path] = folder;
      cell.recycled_dentry = api.PutFile(cell.space, folder, "f.gif", GifData());
      api.Ok(PermissionClient::kOwner, "DELETE",
             PermissionClient::SpacePath(cell.space) + "/dentries/" + cell.recycled_dentry +
                 "?toRecycleBin=true");
      break;
    }
  }
  for (const auto& check : cell.endpoint->checks) {
    if (check.on != On::kTarget) continue;
    cell.target_path = "/a/b/t" + n;
    cell.ids[cell.target_path] = api.AddFolder(cell.space, cell.Id("/a/b"), "t" + n);
  }
  if (cell.actor.kind != Actor::kGranted) return;
  std::set<std::string> paths;
  switch (cell.actor.place) {
    case Place::kOnDentry:
      for (const auto& check : cell.endpoint->checks) paths.insert(PathOf(cell, check.on));
      break;
    case Place::kThreeUp:
      paths.insert("/a");
      break;
    case Place::kElsewhere:
      paths.insert("/other");
      break;
  }
  const std::optional<int64_t> duration =
      cell.type == SpaceType::kUser ? std::nullopt
                                    : std::optional<int64_t>(cell.actor.expired ? 1 : 3600);
  for (const auto& path : paths) {
    api.Grant(cell.space, cell.Id(path), cell.actor.User(), RoleName(cell.actor.role), duration);
    cell.grants.push_back({path, cell.actor.role, !cell.actor.expired});
  }
  if (cell.actor.expired) expiry.Granted();
}

// The recycle item of each kRecycled cell of one space (listed once for the space).
void FindRecycleItems(const PermissionClient& api, std::vector<Cell*>& cells) {
  if (cells.empty() || cells[0]->endpoint->subject != Subject::kRecycled) return;
  const std::string space = cells[0]->space;
  const auto bin = api.Ok(PermissionClient::kOwner, "GET",
                          "/v1.0/storage/recycleBins?recycleBinScope=SPACE&scopeId=" + space);
  const std::string bin_id(bin.at("recycleBin").at("id").as_string());
  std::map<std::string, std::string> items;
  std::string next;
  do {
    const auto page = api.Ok(PermissionClient::kOwner, "GET",
                             "/v1.0/storage/recycleBins/" + bin_id + "/recycleItems" +
                                 (next.empty() ? "" : "?nextToken=" + next));
    for (const auto& item : page.at("recycleItems").as_array()) {
      items[std::string(item.at("dentryId").as_string())] = std::string(item.at("id").as_string());
    }
    next = page.contains("nextToken") ? std::string(page.at("nextToken").as_string()) : "";
  } while (!next.empty());
  for (Cell* cell : cells) {
    cell->recycle_bin = bin_id;
    cell->recycle_item = items.at(cell->recycled_dentry);
  }
}

std::vector<std::string> AllUsers() {
  std::set<std::string> users{"pm_grantee"};
  for (const SpaceType type : {SpaceType::kUser, SpaceType::kApp}) {
    for (const auto& actor : Actors(type)) {
      if (actor.kind == Actor::kNobody || actor.kind == Actor::kGranted) {
        users.insert(actor.User());
      }
    }
  }
  return {users.begin(), users.end()};
}

// Every cell, and the cells of each space (indexes into `cells`): one group per (space type,
// endpoint), or one per cell for an endpoint that consumes its space.
void AllCells(std::vector<Cell>& cells, std::vector<std::vector<size_t>>& groups) {
  for (const SpaceType type : {SpaceType::kUser, SpaceType::kApp}) {
    for (const auto& endpoint : Endpoints()) {
      const bool own = endpoint.subject == Subject::kOwnSpace;
      for (const auto& actor : Actors(type)) {
        // Only KooDrive lets the app act without a user.
        if (actor.kind == Actor::kApp && endpoint.shape != Shape::kKooDrive) continue;
        if (own || groups.empty() || cells[groups.back().front()].endpoint != &endpoint ||
            cells[groups.back().front()].type != type) {
          groups.emplace_back();
        }
        groups.back().push_back(cells.size());
        Cell cell;
        cell.endpoint = &endpoint;
        cell.type = type;
        cell.actor = actor;
        cell.n = static_cast<int>(cells.size());
        cells.push_back(std::move(cell));
      }
    }
  }
}

// What is wrong with the answer a cell got, if anything.
std::optional<std::string> Judge(const Cell& cell, const Observed& o) {
  const bool batch = cell.endpoint->shape == Shape::kItem;
  if (Expected(cell)) {
    if (o.outcome == Observed::kAllowed) return std::nullopt;
    return "expected allowed, got " + o.detail;
  }
  if (o.hidden && RoleAnywhere(cell) != Role::kNone) {
    return "expected the permission code, got " + o.detail;
  }
  if (o.outcome == Observed::kDenied &&
      (!batch || !o.whole_call || WholeCallRefusalAllowed(cell))) {
    return std::nullopt;
  }
  return std::string("expected ") +
         (batch ? "the item refused with permissionDenied" : "refused (permissionDenied)") +
         ", got " + o.detail;
}

constexpr int kThreads = 4;

TEST(PermissionsMatrixTest, EveryCellAnswersAsTheMatrixSays) {
  const auto started = Clock::now();
  ServerProcess server({"--access-log", "false"});
  PermissionClient::CreateUsers(server, AllUsers());
  const PermissionClient api(server);

  std::vector<Cell> cells;
  std::vector<std::vector<size_t>> groups;
  AllCells(cells, groups);

  Expiry expiry;
  PermissionClient::RunEach(groups.size(), kThreads, [&](size_t g) {
    Cell proto;
    BuildSkeleton(api, cells[groups[g].front()].type, "m" + std::to_string(g), proto);
    std::vector<Cell*> members;
    for (const size_t i : groups[g]) {
      Cell& cell = cells[i];
      cell.space = proto.space;
      cell.koodrive_owner = proto.koodrive_owner;
      cell.ids = proto.ids;
      BuildCell(api, cell, expiry);
      members.push_back(&cell);
    }
    FindRecycleItems(api, members);
  });
  const auto built = Clock::now();
  expiry.WaitUntilPassed();

  std::vector<Observed> observed(cells.size());
  PermissionClient::RunEach(cells.size(), kThreads,
                            [&](size_t i) { observed[i] = CallCell(api, cells[i]); });

  int wrong = 0;
  std::map<std::string, int> wrong_by_endpoint;
  for (size_t i = 0; i < cells.size(); ++i) {
    const Cell& cell = cells[i];
    const std::optional<std::string> problem = Judge(cell, observed[i]);
    if (!problem) continue;
    ++wrong;
    ++wrong_by_endpoint[std::string(cell.type == SpaceType::kUser ? "[USER] " : "[APP] ") +
                        cell.endpoint->name];
    ADD_FAILURE() << cell.Name() << ": " << *problem;
  }
  std::ostringstream summary;
  for (const auto& [name, count] : wrong_by_endpoint) summary << "\n  " << name << ": " << count;
  const auto ms = [](auto d) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
  };
  std::cout << cells.size() << " cells in " << groups.size() << " spaces, " << wrong
            << " wrong; fixtures " << ms(built - started) << " ms, whole run "
            << ms(Clock::now() - started) << " ms" << summary.str() << "\n";
}

// kMatrix is the docs' table: every capability row of "The capability matrix" in
// docs/permissions.md names the minimum role kMatrix has (USER column; the APP column differs
// only for grants, by the grant rules).
TEST(PermissionsMatrixTest, TableMirrorsTheDocs) {
  std::ifstream in(std::string(SPACESTORE_SOURCE_DIR) + "/docs/permissions.md");
  ASSERT_TRUE(in) << "docs/permissions.md not found";
  std::map<std::string, std::string> doc;
  std::string line;
  bool in_matrix = false;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) in_matrix = line == "## The capability matrix";
    if (!in_matrix || line.rfind("| ", 0) != 0) continue;
    std::vector<std::string> cols;
    std::stringstream ss(line.substr(1));
    std::string col;
    while (std::getline(ss, col, '|')) {
      const auto b = col.find_first_not_of(" `");
      const auto e = col.find_last_not_of(" `");
      cols.push_back(b == std::string::npos ? "" : col.substr(b, e - b + 1));
    }
    if (cols.size() >= 2) doc[cols[0]] = cols[1];
  }
  for (const auto& row : kMatrix) {
    ASSERT_TRUE(doc.contains(row.doc_name)) << row.doc_name << " is not a row of the docs' table";
    EXPECT_EQ(doc.at(row.doc_name), RoleName(row.user_space)) << row.doc_name;
    if (row.capability != Capability::kManagePermissions &&
        row.capability != Capability::kListPermissions) {
      EXPECT_EQ(row.app_space, row.user_space) << row.doc_name;
    }
  }
  EXPECT_EQ(doc.size(), std::size(kMatrix) + 1) << "a capability of the docs is not in kMatrix";
}

}  // namespace
}  // namespace spacestore
