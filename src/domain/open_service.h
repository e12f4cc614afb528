#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/open_link.h"
#include "domain/space_service.h"
#include "domain/transfer_grant.h"
#include "domain/transfer_service.h"
#include "domain/upload_service.h"

namespace spacestore::domain {

struct OpenOptions {
  // How long a checkLogin=false preview link may wait for its one use, in seconds (reference
  // 4.14). Default: 300.
  int64_t single_use_ttl_seconds = 300;
  // How long a checkLogin=true preview link can be opened, any number of times, in seconds.
  // Default: 3600.
  int64_t login_link_ttl_seconds = 3600;
  // How long an opened preview page may fetch the version's content, in seconds. Default: 1800.
  int64_t page_session_ttl_seconds = 1800;
  // WebOffice access token lifetime, in seconds. Default: 1800.
  int64_t office_access_ttl_seconds = 1800;
  // WebOffice refresh token lifetime, in seconds. Default: 86400.
  int64_t office_refresh_ttl_seconds = 86400;
  // The largest text the WebOffice page may save, in bytes. Default: 1 MiB.
  int64_t max_edit_bytes = int64_t{1} << 20;
};

// One URL RegisterOpenInfo stores.
struct OpenInfoUrl {
  OpenType type = OpenType::kPreview;
  std::string url;
};

// GetDentryOpenInfo's option.
struct OpenRequest {
  OpenType type = OpenType::kPreview;
  std::optional<int64_t> version;  // Absent: the latest version when the link is issued.
  bool check_login = false;
  bool water_mark = false;
};

// GetDentryOpenInfo's answer: a provider's registered URL, or a token for spacestore's own
// preview page (the API turns it into {public base}/open/{token}).
struct OpenAnswer {
  std::optional<std::string> registered_url;
  std::string token;
  bool water_mark = false;  // Whether the page draws the viewer's name.
};

// What an opened preview link shows: one version of one file, and to whom.
struct PreviewPage {
  std::string session_token;  // Gives its holder the content (OpenPreviewContent).
  Dentry file;                // At the link's version: its size and content.
  bool water_mark = false;
  std::string viewer_name;  // users.name of the viewer, else the unionId.
};

// A WebOffice token pair and when each expires (epoch milliseconds).
struct OfficeTokens {
  std::string access_token;
  std::string refresh_token;
  int64_t access_expire_time = 0;
  int64_t refresh_expire_time = 0;
};

// What the WebOffice page may do with its file, judged now.
struct OfficeSession {
  Actor actor;            // Who the token was issued to.
  Dentry file;            // The latest version.
  bool can_edit = false;  // EDITOR on the file now, a plain-text name and at most max_edit_bytes.
  int64_t expire_time = 0;
};

// OpenService serves the open links of files: RegisterOpenInfo's provider URLs,
// GetDentryOpenInfo's preview links, GetWebOfficeUrl's and RefreshWebOfficeToken's token pairs,
// and what the /open/ and /office/ pages do with them. Tokens are random (32 bytes, hex), and
// only their SHA-256 is stored (OpenRecords); every check and use is in a metadata
// transaction, so a single-use link opens once across every node sharing the store.
//
// Roles (capability matrix): registering needs EDITOR, a PREVIEW link or a WebOffice pair
// READER, an EDIT link EDITOR; the office page's save needs EDITOR when it saves. Only files
// have open links: a folder is kInvalidArgument ("dentryId").
//
// Errors shared by all methods taking an actor: those of SpaceService::Open; kNotFound
// ("dentry") for a missing, deleted or foreign dentry.
// Thread-safety: thread-safe (no state of its own). Borrows the store, clock and services.
class OpenService {
 public:
  OpenService(MetadataStore& store, const Clock& clock, SpaceService& spaces,
              UploadService& uploads, TransferService& transfers, OpenOptions options);

  // Stores `urls` for the file, replacing any of the same type. kInvalidArgument ("provider")
  // unless MS_OFFICE, ("openInfos") for an empty list, ("url") for anything but an absolute
  // http(s) URL of at most 2048 bytes.
  Result<void> Register(const Actor& actor, std::string_view space_id, std::string_view dentry_id,
                        std::string_view provider, const std::vector<OpenInfoUrl>& urls);

  // The registered URL of `request.type`, else (PREVIEW) a new link token. kNotFound
  // ("version") for a version the file does not have; kNotFound ("openInfo") for EDIT with
  // no registered EDIT URL.
  Result<OpenAnswer> Open(const Actor& actor, std::string_view space_id, std::string_view dentry_id,
                          const OpenRequest& request);

  // Opens preview link `token` for `viewer` (the console session's user, if any): uses a
  // single-use link, or checks a checkLogin=true link's viewer, then starts a page session.
  // kNotFound ("link") for no such link; kPreconditionFailed ("link") for one used or expired;
  // kUnauthenticated ("login") for a checkLogin link without a viewer; kPermissionDenied when
  // the viewer may not preview the file; kNotFound ("dentry", "version") once it is gone.
  Result<PreviewPage> OpenPreview(std::string_view token, const std::optional<Actor>& viewer);
  // The grant to read the content of link `token`'s version, for the holder of `session` (a
  // PreviewPage's session_token). kNotFound ("link") when they do not match or have expired.
  Result<TransferGrant> PreviewContent(std::string_view token, std::string_view session);

  // A new WebOffice pair for the file.
  Result<OfficeTokens> IssueOffice(const Actor& actor, std::string_view space_id,
                                   std::string_view dentry_id);
  // Rotates a pair: the old access and refresh tokens stop working. kInvalidArgument
  // ("webOfficeRefreshToken") for a refresh token that is unknown, expired, used, not the
  // pair of `access_token` or not issued to this actor for this file.
  Result<OfficeTokens> RefreshOffice(const Actor& actor, std::string_view space_id,
                                     std::string_view dentry_id, std::string_view access_token,
                                     std::string_view refresh_token);
  // The session of access token `token`. kUnauthenticated ("webOfficeAccessToken") for an
  // unknown, rotated or expired token; kPermissionDenied when its user may no longer read.
  Result<OfficeSession> Office(std::string_view token);
  // The grant to read the latest version, for an access token.
  Result<TransferGrant> OfficeContent(std::string_view token);
  // Saves `text` as the file's next version through UploadService (quota checked, the upload
  // recorded like any other). kPermissionDenied without EDITOR now; kInvalidArgument ("text")
  // past max_edit_bytes, or for a file that is not plain text.
  Result<Dentry> SaveOffice(std::string_view token, std::string_view text);

  // Whether the WebOffice page edits a file of this name as plain text.
  static bool IsPlainTextName(std::string_view name);

 private:
  // A live file of the space, read in its own snapshot.
  Result<Dentry> LiveFile(std::string_view space_id, std::string_view dentry_id);
  // A fresh token of `kind` for `file`, inserted in `tx`; returns its text.
  Result<std::string> Issue(MetadataTransaction& tx, OpenToken token);
  Result<OfficeTokens> IssuePair(MetadataTransaction& tx, const Actor& actor, const Dentry& file,
                                 int64_t now);
  TransferGrant ContentGrant(const OpenToken& token, int64_t version) const;

  MetadataStore& store_;
  const Clock& clock_;
  SpaceService& spaces_;
  UploadService& uploads_;
  TransferService& transfers_;
  const OpenOptions options_;
};

}  // namespace spacestore::domain
