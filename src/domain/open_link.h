#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace spacestore::domain {

// What an open link does with a file: show it, or edit it.
enum class OpenType { kPreview = 0, kEdit = 1 };

// The only provider RegisterOpenInfo accepts (reference 4.14).
inline constexpr const char* kProviderMsOffice = "MS_OFFICE";

// A provider's URL for one dentry and open type (RegisterOpenInfo); table open_infos.
// Plain data; thread-compatible.
struct OpenInfo {
  std::string space_id;
  std::string dentry_id;
  OpenType type = OpenType::kPreview;
  std::string provider;  // kProviderMsOffice.
  std::string url;       // An absolute http or https URL.
  std::string operator_id;
  int64_t modified_time = 0;  // Epoch milliseconds.
};

// What an OpenToken lets its holder do (table open_tokens, column kind).
enum class OpenTokenKind {
  kPreviewLink = 0,    // GetDentryOpenInfo's /open/{token} link.
  kOfficeAccess = 1,   // GetWebOfficeUrl's access token: the office page's API.
  kOfficeRefresh = 2,  // Its refresh token: RefreshWebOfficeToken.
  kPageSession = 3,    // The cookie an opened preview link gives its holder for the content.
};

// One issued token, kept only by the SHA-256 of its text (hex), so a copy of the store lets
// nobody open a link. Plain data; thread-compatible.
struct OpenToken {
  std::string token_hash;
  OpenTokenKind kind = OpenTokenKind::kPreviewLink;
  // kOfficeAccess / kOfficeRefresh: the other token of the pair; kPageSession: the preview
  // link it was opened from. Empty otherwise.
  std::string pair_hash;
  // Who asked for it, through which app.
  std::string corp_id;
  std::string app_id;
  std::string union_id;
  // The file and, for a preview, the version it shows.
  std::string space_id;
  std::string dentry_id;
  std::optional<int64_t> version;
  bool check_login = false;          // kPreviewLink: the viewer must be logged in to the console.
  bool water_mark = false;           // kPreviewLink: the page draws the viewer's name.
  int64_t create_time = 0;           // Epoch milliseconds.
  int64_t expire_time = 0;           // Unusable from this instant.
  std::optional<int64_t> used_time;  // Single-use tokens: when it was used.
};

}  // namespace spacestore::domain
