// OpenService: open links of files (RegisterOpenInfo, GetDentryOpenInfo, the WebOffice token
// pairs) and what the /open/ and /office/ pages may do with them.
//
// Every token is 32 random bytes in hex; the store keeps only its SHA-256 (OpenRecords), so a
// leaked database or backup opens nothing. Single use is one conditional UPDATE
// (OpenRecords::ConsumeToken) inside the transaction that also starts the page session, so
// two opens racing on two nodes cannot both succeed. A used link's row is kept until it would
// have expired, so a second open is told "used" rather than "unknown"; the Collector removes
// expired rows. Permission checks (SpaceAccess) run before the transaction that writes, as
// everywhere in the domain; an office save is an ordinary upload and commit, so quota,
// versions and events follow the usual path.
#include "domain/open_service.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <utility>

#include "base/crypto.h"
#include "domain/access.h"
#include "domain/placement.h"

namespace spacestore::domain {
namespace {

constexpr int64_t kMillisPerSecond = 1000;
constexpr size_t kMaxUrlBytes = 2048;
// How long the content grant of a page fetch is good for: it is used at once.
constexpr int64_t kContentGrantSeconds = 60;

std::string NewTokenText() { return HexEncode(RandomBytes(32)); }

Error BadLink(const char* why) {
  return MakeError(Errc::kPreconditionFailed, "link", std::string("this link ") + why);
}
Error NoSuchLink() { return MakeError(Errc::kNotFound, "link", "no such link"); }
Error BadRefresh(const char* why) {
  return MakeError(Errc::kInvalidArgument, "webOfficeRefreshToken",
                   std::string("webOfficeRefreshToken ") + why);
}
Error BadAccess(const char* why) {
  return MakeError(Errc::kUnauthenticated, "webOfficeAccessToken",
                   std::string("webOfficeAccessToken ") + why);
}

// An absolute http or https URL with a host and no spaces or control characters.
bool IsHttpUrl(std::string_view url) {
  if (url.size() > kMaxUrlBytes) return false;
  std::string_view rest;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.size() > scheme.size() &&
        std::equal(scheme.begin(), scheme.end(), url.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      rest = url.substr(scheme.size());
    }
  }
  if (rest.empty() || rest[0] == '/' || rest[0] == '?' || rest[0] == '#') return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f;
  });
}

// `file` as it was at version `v`.
Dentry AtVersion(Dentry file, const DentryVersion& v) {
  file.version = v.version;
  file.size = v.size;
  file.blob_id = v.blob_id;
  file.modifier_id = v.modifier_id;
  file.modified_time = v.modified_time;
  return file;
}

Actor TokenActor(const OpenToken& t) { return Actor{t.corp_id, t.app_id, t.union_id}; }

}  // namespace

OpenService::OpenService(MetadataStore& store, const Clock& clock, SpaceService& spaces,
                         UploadService& uploads, TransferService& transfers, OpenOptions options)
    : store_(store),
      clock_(clock),
      spaces_(spaces),
      uploads_(uploads),
      transfers_(transfers),
      options_(options) {}

bool OpenService::IsPlainTextName(std::string_view name) {
  static constexpr std::array<std::string_view, 30> kExtensions = {
      "txt", "md",   "markdown", "csv",  "tsv",  "json", "xml",  "yaml", "yml", "log",
      "ini", "conf", "cfg",      "toml", "html", "htm",  "css",  "js",   "ts",  "c",
      "cc",  "cpp",  "h",        "hpp",  "py",   "sh",   "java", "go",   "rs",  "sql"};
  const size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot + 1 == name.size()) return false;
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(kExtensions.begin(), kExtensions.end(), ext) != kExtensions.end();
}

Result<Dentry> OpenService::LiveFile(std::string_view space_id, std::string_view dentry_id) {
  auto file = store_.Read([&](MetadataTransaction& tx) {
    return LiveDentry(tx.dentries().Get(space_id, dentry_id), dentry_id);
  });
  if (!file) return file.error();
  if (file->is_folder()) {
    return MakeError(Errc::kInvalidArgument, "dentryId",
                     "open links are for files; dentry " + std::string(dentry_id) + " is a folder");
  }
  return file;
}

Result<std::string> OpenService::Issue(MetadataTransaction& tx, OpenToken token) {
  std::string text = NewTokenText();
  token.token_hash = Sha256Hex(text);
  if (auto ok = tx.open().InsertToken(token); !ok) return ok.error();
  return text;
}

Result<OfficeTokens> OpenService::IssuePair(MetadataTransaction& tx, const Actor& actor,
                                            const Dentry& file, int64_t now) {
  OfficeTokens out;
  out.access_token = NewTokenText();
  out.refresh_token = NewTokenText();
  out.access_expire_time = now + options_.office_access_ttl_seconds * kMillisPerSecond;
  out.refresh_expire_time = now + options_.office_refresh_ttl_seconds * kMillisPerSecond;
  OpenToken t;
  t.corp_id = actor.corp_id;
  t.app_id = actor.app_id;
  t.union_id = actor.union_id;
  t.space_id = file.space_id;
  t.dentry_id = file.id;
  t.create_time = now;
  const std::string access_hash = Sha256Hex(out.access_token);
  const std::string refresh_hash = Sha256Hex(out.refresh_token);
  t.kind = OpenTokenKind::kOfficeAccess;
  t.token_hash = access_hash;
  t.pair_hash = refresh_hash;
  t.expire_time = out.access_expire_time;
  if (auto ok = tx.open().InsertToken(t); !ok) return ok.error();
  t.kind = OpenTokenKind::kOfficeRefresh;
  t.token_hash = refresh_hash;
  t.pair_hash = access_hash;
  t.expire_time = out.refresh_expire_time;
  if (auto ok = tx.open().InsertToken(t); !ok) return ok.error();
  return out;
}

TransferGrant OpenService::ContentGrant(const OpenToken& token, int64_t version) const {
  TransferGrant grant;
  grant.kind = TransferGrant::Kind::kDownload;
  grant.space_id = token.space_id;
  grant.dentry_id = token.dentry_id;
  grant.version = version;
  grant.issued_at = clock_.NowMillis();
  grant.ttl_seconds = kContentGrantSeconds;
  return grant;
}

// ---- RegisterOpenInfo and GetDentryOpenInfo ----

Result<void> OpenService::Register(const Actor& actor, std::string_view space_id,
                                   std::string_view dentry_id, std::string_view provider,
                                   const std::vector<OpenInfoUrl>& urls) {
  if (provider != kProviderMsOffice) {
    return MakeError(Errc::kInvalidArgument, "provider",
                     "provider must be " + std::string(kProviderMsOffice));
  }
  if (urls.empty()) {
    return MakeError(Errc::kInvalidArgument, "openInfos", "openInfos must not be empty");
  }
  for (const auto& u : urls) {
    if (!IsHttpUrl(u.url)) {
      return MakeError(Errc::kInvalidArgument, "url",
                       "url must be an absolute http or https URL of at most 2048 bytes");
    }
  }
  auto access = spaces_.Open(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(dentry_id, Capability::kRegisterOpenInfo); !ok) return ok;
  auto file = LiveFile(access->space().id, dentry_id);
  if (!file) return file.error();
  const int64_t now = clock_.NowMillis();
  return store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
    // Re-read in the writing transaction: the file may have been deleted meanwhile.
    if (auto live = LiveDentry(tx.dentries().Get(file->space_id, file->id), file->id); !live) {
      return live.error();
    }
    for (const auto& u : urls) {
      if (auto ok =
              tx.open().PutOpenInfo(OpenInfo{file->space_id, file->id, u.type,
                                             std::string(provider), u.url, actor.acting_id(), now});
          !ok) {
        return ok;
      }
    }
    return {};
  });
}

Result<OpenAnswer> OpenService::Open(const Actor& actor, std::string_view space_id,
                                     std::string_view dentry_id, const OpenRequest& request) {
  const bool edit = request.type == OpenType::kEdit;
  auto access = spaces_.Open(actor, space_id);
  if (!access) return access.error();
  if (auto ok =
          access->RequireOn(dentry_id, edit ? Capability::kOpenEdit : Capability::kOpenPreview);
      !ok) {
    return ok.error();
  }
  auto file = LiveFile(access->space().id, dentry_id);
  if (!file) return file.error();
  const int64_t now = clock_.NowMillis();
  return store_.Write([&](MetadataTransaction& tx) -> Result<OpenAnswer> {
    int64_t version = file->version;
    if (request.version) {
      version = *request.version;
      const auto missing = MakeError(Errc::kNotFound, "version",
                                     "version " + std::to_string(version) + " not found");
      if (version < 1) return missing;
      if (auto v = tx.dentries().GetVersion(file->id, version); !v) {
        return v.error().code == Errc::kNotFound ? missing : v.error();
      }
    }
    auto infos = tx.open().ListOpenInfos(file->space_id, file->id);
    if (!infos) return infos.error();
    for (const auto& info : *infos) {
      if (info.type == request.type) return OpenAnswer{info.url, "", false};
    }
    if (edit) {
      return MakeError(Errc::kNotFound, "openInfo",
                       "no EDIT open info is registered for dentry " + file->id +
                           " (RegisterOpenInfo); GetWebOfficeUrl opens plain text for editing");
    }
    OpenToken t;
    t.kind = OpenTokenKind::kPreviewLink;
    t.corp_id = actor.corp_id;
    t.app_id = actor.app_id;
    t.union_id = actor.union_id;
    t.space_id = file->space_id;
    t.dentry_id = file->id;
    t.version = version;
    t.check_login = request.check_login;
    t.water_mark = request.water_mark;
    t.create_time = now;
    t.expire_time = now + (request.check_login ? options_.login_link_ttl_seconds
                                               : options_.single_use_ttl_seconds) *
                              kMillisPerSecond;
    auto token = Issue(tx, t);
    if (!token) return token.error();
    return OpenAnswer{std::nullopt, std::move(*token), request.water_mark};
  });
}

// ---- The preview page ----

Result<PreviewPage> OpenService::OpenPreview(std::string_view token,
                                             const std::optional<Actor>& viewer) {
  const std::string hash = Sha256Hex(token);
  auto link = store_.Read([&](MetadataTransaction& tx) { return tx.open().GetToken(hash); });
  if (!link) return link.error().code == Errc::kNotFound ? NoSuchLink() : link.error();
  if (link->kind != OpenTokenKind::kPreviewLink || !link->version) return NoSuchLink();
  const int64_t now = clock_.NowMillis();
  if (link->used_time) return BadLink("has already been used");
  if (link->expire_time <= now) return BadLink("has expired");
  // Whose name a watermark shows: the console user for a checkLogin link, else whoever the
  // link was issued to.
  Actor shown = TokenActor(*link);
  if (link->check_login) {
    if (!viewer) {
      return MakeError(Errc::kUnauthenticated, "login",
                       "this link needs a console login as a user who may read the file");
    }
    if (viewer->corp_id != link->corp_id || viewer->union_id.empty()) {
      return MakeError(Errc::kPermissionDenied, "user", "this file is not shared with you");
    }
    auto access = spaces_.Open(*viewer, link->space_id);
    if (!access) return access.error();
    if (auto ok = access->RequireOn(link->dentry_id, Capability::kOpenPreview); !ok) {
      return ok.error();
    }
    shown = *viewer;
  }
  return store_.Write([&](MetadataTransaction& tx) -> Result<PreviewPage> {
    auto file = LiveDentry(tx.dentries().Get(link->space_id, link->dentry_id), link->dentry_id);
    if (!file) return file.error();
    auto v = tx.dentries().GetVersion(file->id, *link->version);
    if (!v) return v.error();
    if (!link->check_login) {
      auto used = tx.open().ConsumeToken(hash, now, link->expire_time);
      if (!used) return used.error();
      if (!*used) return BadLink("has already been used");  // Another open won the race.
    }
    OpenToken session = *link;
    session.kind = OpenTokenKind::kPageSession;
    session.pair_hash = hash;
    session.create_time = now;
    session.expire_time = now + options_.page_session_ttl_seconds * kMillisPerSecond;
    session.used_time.reset();
    auto session_token = Issue(tx, session);
    if (!session_token) return session_token.error();
    PreviewPage page;
    page.session_token = std::move(*session_token);
    page.file = AtVersion(std::move(*file), *v);
    page.water_mark = link->water_mark;
    page.viewer_name = shown.union_id;
    if (auto user = tx.identity().GetUser(shown.corp_id, shown.union_id);
        user && !user->name.empty()) {
      page.viewer_name = user->name;
    }
    return page;
  });
}

Result<TransferGrant> OpenService::PreviewContent(std::string_view token,
                                                  std::string_view session) {
  const std::string session_hash = Sha256Hex(session);
  auto row = store_.Read([&](MetadataTransaction& tx) { return tx.open().GetToken(session_hash); });
  if (!row) return row.error().code == Errc::kNotFound ? NoSuchLink() : row.error();
  if (row->kind != OpenTokenKind::kPageSession || !row->version ||
      !ConstantTimeEquals(row->pair_hash, Sha256Hex(token)) ||
      row->expire_time <= clock_.NowMillis()) {
    return NoSuchLink();
  }
  return ContentGrant(*row, *row->version);
}

// ---- WebOffice ----

Result<OfficeTokens> OpenService::IssueOffice(const Actor& actor, std::string_view space_id,
                                              std::string_view dentry_id) {
  auto access = spaces_.Open(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(dentry_id, Capability::kOpenOffice); !ok) return ok.error();
  auto file = LiveFile(access->space().id, dentry_id);
  if (!file) return file.error();
  const int64_t now = clock_.NowMillis();
  return store_.Write([&](MetadataTransaction& tx) { return IssuePair(tx, actor, *file, now); });
}

Result<OfficeTokens> OpenService::RefreshOffice(const Actor& actor, std::string_view space_id,
                                                std::string_view dentry_id,
                                                std::string_view access_token,
                                                std::string_view refresh_token) {
  auto access = spaces_.Open(actor, space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(dentry_id, Capability::kOpenOffice); !ok) return ok.error();
  auto file = LiveFile(access->space().id, dentry_id);
  if (!file) return file.error();
  const std::string access_hash = Sha256Hex(access_token);
  const std::string refresh_hash = Sha256Hex(refresh_token);
  const int64_t now = clock_.NowMillis();
  return store_.Write([&](MetadataTransaction& tx) -> Result<OfficeTokens> {
    auto row = tx.open().GetToken(refresh_hash);
    if (!row) {
      return row.error().code == Errc::kNotFound ? BadRefresh("is not valid") : row.error();
    }
    if (row->kind != OpenTokenKind::kOfficeRefresh) return BadRefresh("is not valid");
    if (row->used_time) return BadRefresh("has already been used");
    if (row->expire_time <= now) return BadRefresh("has expired");
    if (row->pair_hash != access_hash) {
      return BadRefresh("does not belong to this webOfficeAccessToken");
    }
    if (row->space_id != file->space_id || row->dentry_id != file->id) {
      return BadRefresh("was issued for another dentry");
    }
    if (row->corp_id != actor.corp_id || row->app_id != actor.app_id ||
        row->union_id != actor.union_id) {
      return BadRefresh("was issued to another user or app");
    }
    auto used = tx.open().ConsumeToken(refresh_hash, now, row->expire_time);
    if (!used) return used.error();
    if (!*used) return BadRefresh("has already been used");
    if (auto gone = tx.open().RemoveToken(access_hash); !gone) return gone.error();
    return IssuePair(tx, actor, *file, now);
  });
}

Result<OfficeSession> OpenService::Office(std::string_view token) {
  const std::string hash = Sha256Hex(token);
  auto row = store_.Read([&](MetadataTransaction& tx) { return tx.open().GetToken(hash); });
  if (!row) return row.error().code == Errc::kNotFound ? BadAccess("is not valid") : row.error();
  if (row->kind != OpenTokenKind::kOfficeAccess) return BadAccess("is not valid");
  if (row->expire_time <= clock_.NowMillis()) return BadAccess("has expired");
  OfficeSession session;
  session.actor = TokenActor(*row);
  session.expire_time = row->expire_time;
  auto access = spaces_.Open(session.actor, row->space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(row->dentry_id, Capability::kOpenOffice); !ok) {
    return ok.error();
  }
  auto file = LiveFile(row->space_id, row->dentry_id);
  if (!file) return file.error();
  session.can_edit = access->RequireOn(row->dentry_id, Capability::kOpenEdit).has_value() &&
                     IsPlainTextName(file->name) && file->size <= options_.max_edit_bytes;
  session.file = std::move(*file);
  return session;
}

Result<TransferGrant> OpenService::OfficeContent(std::string_view token) {
  auto session = Office(token);
  if (!session) return session.error();
  OpenToken t;
  t.space_id = session->file.space_id;
  t.dentry_id = session->file.id;
  return ContentGrant(t, session->file.version);
}

Result<Dentry> OpenService::SaveOffice(std::string_view token, std::string_view text) {
  auto session = Office(token);
  if (!session) return session.error();
  const Dentry& file = session->file;
  if (!IsPlainTextName(file.name)) {
    return MakeError(Errc::kInvalidArgument, "text",
                     "only plain-text files can be edited here; " + file.name + " is not one");
  }
  if (std::ssize(text) > options_.max_edit_bytes) {
    return MakeError(
        Errc::kInvalidArgument, "text",
        "the text is larger than " + std::to_string(options_.max_edit_bytes) + " bytes");
  }
  const Actor& actor = session->actor;
  // The role is checked now, at save time, not when the token was issued.
  auto access = spaces_.OpenWritable(actor, file.space_id);
  if (!access) return access.error();
  if (auto ok = access->RequireOn(file.id, Capability::kOpenEdit); !ok) return ok.error();
  PreCheck check;
  check.size = std::ssize(text);
  auto ticket = uploads_.Authorize(actor, file.space_id, check, /*multipart=*/false);
  if (!ticket) return ticket.error();
  auto sink = transfers_.OpenUpload(*ticket->grant, text.size());
  if (!sink) return sink.error();
  if (auto ok = (*sink)->Append(text); !ok) return ok.error();
  if (auto ok = (*sink)->Finish(); !ok) return ok.error();
  CommitRequest commit;
  commit.upload_key = ticket->key;
  commit.name = file.name;
  commit.parent_id = file.parent_id;
  commit.overwrite_dentry_id = file.id;
  commit.size = std::ssize(text);
  return uploads_.Commit(actor, file.space_id, std::move(commit));
}

}  // namespace spacestore::domain
