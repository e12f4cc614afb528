#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spacestore::domain {

// Value types for who may call spacestore. Plain data; thread-compatible.

// An organization (DingTalk "corp", KooDrive "tenant"). Every space belongs to exactly one.
struct Org {
  std::string corp_id;
  std::string name;
  int64_t capacity_bytes = 0;  // The org drive's total capacity; the sum of all spaces' usage.
  int64_t create_time = 0;     // Epoch milliseconds.
};

// An application registered in an org. Its appKey/appSecret obtain access tokens; its scopes
// bound what those tokens may do.
struct App {
  std::string app_id;
  std::string app_key;
  std::string secret_hash;  // "sha256$<salt hex>$<digest hex>"; the secret itself is never stored.
  std::string corp_id;
  std::string name;
  std::vector<std::string> scopes;
  std::optional<int64_t> quota_bytes;  // Dedicated capacity (PRIVATE); absent = org pool (SHARE).
  int64_t create_time = 0;
  int64_t modified_time = 0;

  bool HasScope(std::string_view scope) const;
};

// A member of an org, named by its unionId; the acting user of storage calls.
struct User {
  std::string union_id;
  std::string corp_id;
  std::string name;
  int64_t create_time = 0;
  // The console password's hash ("pbkdf2-sha256$<iterations>$<salt hex>$<digest hex>", see
  // HashPassword); empty: the user cannot log in with a password. The password is never stored.
  // ({} so positional initializers of the older fields stay warning-free.)
  std::string password_hash{};
};

// The scopes the DingTalk reference names for storage.
inline constexpr std::string_view kScopeSpaceRead = "Storage.Space.Read";
inline constexpr std::string_view kScopeSpaceWrite = "Storage.Space.Write";
inline constexpr std::string_view kScopeFileRead = "Storage.File.Read";
inline constexpr std::string_view kScopeFileWrite = "Storage.File.Write";
inline constexpr std::string_view kScopeEventWrite = "Storage.Event.Write";

// Every storage scope, the default grant of a new app.
const std::vector<std::string>& AllStorageScopes();

// True if `scope` is one of AllStorageScopes().
bool IsKnownScope(std::string_view scope);

// Who is calling: the token's org and app, and the acting user when there is one (DingTalk's
// unionId query parameter; KooDrive machine-to-machine calls may have none).
struct Actor {
  std::string corp_id;
  std::string app_id;
  std::string union_id;  // Empty: the app itself acts.

  // The id recorded as creator or modifier: the user, or the app when no user acts.
  const std::string& acting_id() const { return union_id.empty() ? app_id : union_id; }
};

}  // namespace spacestore::domain
