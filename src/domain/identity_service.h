#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/crypto.h"
#include "base/result.h"
#include "base/ttl_cache.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/permission.h"

namespace spacestore::domain {

// PBKDF2 iterations of a new password hash: OWASP's 2023 figure for PBKDF2-HMAC-SHA256.
inline constexpr int kPasswordIterations = 600'000;

struct IdentityOptions {
  // Lifetime of an access token, in seconds. Default: 7200 (DingTalk's value).
  int64_t token_ttl_seconds = 7200;
  // Capacity given to orgs created without one, in bytes. Default: 1 TiB.
  int64_t default_org_capacity_bytes = int64_t{1} << 40;
  // The token signing key, when the operator keeps it outside the store (keys file or
  // environment); it is never written to the store. Default: empty, the store's setting
  // "token_key" (created on first start).
  // ({} so positional initializers of the older fields stay warning-free.)
  std::string token_key{};
  // A key tokens were signed with before a rotation: accepted, never used to sign, for tokens
  // whose signed expiry is at most token_ttl_seconds after Open(), so every token issued before
  // the restart that brought the new key lives out its lifetime and no token under the old key
  // outlives the grace. REQUIRES: token_key set. Default: empty (old tokens stop at once).
  std::string previous_token_key{};
  // PBKDF2 iterations of the password hashes SetUserPassword and CreateUser write (each hash
  // keeps its own count, so a change leaves older hashes valid). Default: kPasswordIterations.
  // Tests that log in on every case lower it.
  int password_iterations = kPasswordIterations;
};

// What first start needs to know; empty fields get generated values.
struct BootstrapRequest {
  std::string corp_id;
  std::string app_key;
  std::string app_secret;
  std::string union_id;
};

// Credentials created by Bootstrap, printed once (the secret is not stored in clear).
struct BootstrapResult {
  std::string corp_id;
  std::string app_id;
  std::string app_key;
  std::string app_secret;
  std::string union_id;
};

struct NewApp {
  std::string corp_id;
  std::string name;
  std::vector<std::string> scopes;  // Empty: AllStorageScopes().
  std::string app_key;              // Empty: generated.
  std::string app_secret;           // Empty: generated.
  std::optional<int64_t> quota_bytes;
};

// An app as created, with its secret in clear (shown once).
struct CreatedApp {
  App app;
  std::string app_secret;
};

// A change of an app's push delivery (docs/events.md, "Push delivery"). A secret is generated
// when a URL is set and the app has none, or on `rotate_secret`.
struct AppEventSettings {
  std::optional<std::string> event_url;  // nullopt: unchanged; "": push turned off.
  bool rotate_secret = false;
};

// An app after ConfigureAppEvents, with the secret in clear when one was generated (shown once).
struct ConfiguredAppEvents {
  App app;
  std::string new_secret;  // "" when the secret did not change.
};

struct AccessToken {
  std::string token;
  int64_t expire_in = 0;  // Seconds.
};

// What a valid access token names: its app and, for a token bound to one user (a console
// login with a password), that user. An unbound token lets its app act as any user of its org.
struct TokenHolder {
  App app;
  std::string union_id;  // Empty: not bound to a user.
};

// A console login: the token it issued, with the app and the user it acts as.
struct Login {
  AccessToken token;
  App app;
  User user;
};

// IdentityService owns orgs, apps, users and access tokens.
//
// Tokens are stateless: "<appId>.<expiry>.<mac>", or "<appId>.<expiry>.<unionId>.<mac>" for a
// token bound to one user (neither id can hold a dot), where mac is an HMAC-SHA256 of what
// precedes it under a server secret, kept in the metadata store or given from outside
// (IdentityOptions::token_key), so every node sharing the store (or the key) accepts every node's
// tokens without a token table. Authenticate still reads the app (cached for one second).
//
// Thread-safety: safe for concurrent use after Open(). Borrows the store and clock, which must
// outlive it.
class IdentityService {
 public:
  IdentityService(MetadataStore& store, const Clock& clock, IdentityOptions options);

  // Takes the token signing secret from the options or else loads it from the store (creating
  // it on first start), and starts the previous key's grace. Must be called once before
  // IssueToken/Authenticate. Errors: those of the store (none with options.token_key).
  Result<void> Open();

  // On a store with no org, creates the default org, app (all storage scopes) and user from
  // `request` (generating what is empty) and returns their credentials. On a store that has
  // orgs, creates only the named corp, app and user that are missing (so fixed CI credentials
  // keep working on an old data dir) and returns nullopt if nothing new was made. One metadata
  // transaction, so processes bootstrapping one fresh store together make one org, app and
  // user, and only one of them returns the credentials.
  Result<std::optional<BootstrapResult>> Bootstrap(const BootstrapRequest& request);

  // Admin operations. kInvalidArgument for bad ids or unknown scopes; kAlreadyExists; kNotFound
  // (subject "org") for an unknown corpId.
  Result<Org> CreateOrg(std::string corp_id, std::string name,
                        std::optional<int64_t> capacity_bytes);
  Result<CreatedApp> CreateApp(NewApp request);
  // `password`, when not empty, is the user's console password (SetUserPassword's rules).
  Result<User> CreateUser(std::string corp_id, std::string union_id, std::string name,
                          std::string_view password = {});
  // Sets (or, with an empty `password`, clears) the console password of a user of `corp_id`,
  // stored as HashPassword's salted slow hash. kInvalidArgument (subject "password") for a
  // password under 8 or over 1024 bytes; kNotFound (subject "org", then "user").
  Result<void> SetUserPassword(std::string_view corp_id, std::string_view union_id,
                               std::string_view password);
  // Sets or clears an app's event callback URL and rotates its signing secret, in one
  // transaction. kInvalidArgument (subject "eventUrl") for a URL that is not http:// or
  // https:// with a host, or holds spaces or control characters; kNotFound (subject "app").
  Result<ConfiguredAppEvents> ConfigureAppEvents(std::string_view app_id,
                                                 const AppEventSettings& settings);

  // ---- Departments and user removal (docs/permissions.md, "Departments") ----
  //
  // Each is one metadata transaction; a membership change or a removal moves the permission
  // generation of every space of the org in it (PermissionRecords), so running servers see it
  // on their next request. Errors common to these: kNotFound (subject "org") for an unknown
  // corpId, checked first.

  // Adds department `dept_id` to org `corp_id`; an empty `name` is the id. kInvalidArgument
  // (subject "deptId") for a bad id; kAlreadyExists (subject "department").
  Result<Department> CreateDepartment(std::string corp_id, std::string dept_id, std::string name);
  // The org's departments, ordered by id.
  Result<std::vector<Department>> ListDepartments(std::string_view corp_id);
  // Puts a user of the org in a department: true if it was not in it, false (nothing written)
  // if it already was. kNotFound (subject "department", then "user").
  Result<bool> AddDepartmentMember(std::string_view corp_id, std::string_view dept_id,
                                   std::string_view union_id);
  // Takes a user out of a department: true if it was in it, false (nothing written) if not.
  // kNotFound (subject "department", then "user"), so a typo is not taken for "not a member".
  Result<bool> RemoveDepartmentMember(std::string_view corp_id, std::string_view dept_id,
                                      std::string_view union_id);
  // The unionIds in a department, ordered. kNotFound (subject "department").
  Result<std::vector<std::string>> ListDepartmentMembers(std::string_view corp_id,
                                                         std::string_view dept_id);
  // Removes a user from its org at once, with its department memberships and every USER grant
  // naming it (IdentityRecords::DeleteUser): from the commit on it can no longer act and no
  // grant of its survives to be inherited by a later user of the same unionId. The spaces it
  // owns or created stay (the app still reaches them). kNotFound (subject "user").
  Result<void> RemoveUser(std::string_view corp_id, std::string_view union_id);

  // Exchanges an app's key and secret for a token. kUnauthenticated (subject "client") when
  // either is wrong.
  Result<AccessToken> IssueToken(std::string_view app_key, std::string_view app_secret);

  // Returns the app a token was issued to and the user it is bound to, if any.
  // kUnauthenticated (subject "token") when the token is malformed, forged, expired or its app
  // is gone. Surrounding double quotes are ignored.
  // Shared and immutable: a request's check costs no copy of the app's record.
  Result<std::shared_ptr<const TokenHolder>> Authenticate(std::string_view token);

  // ---- Console logins (docs/console.md) ----

  // The app `app_key` acting as user `union_id` of its org: an ordinary (unbound) token, as
  // IssueToken's. kUnauthenticated (subject "client") for a wrong key or secret; kNotFound
  // (subject "user") for a unionId that is not a user of the app's org.
  Result<Login> LoginApp(std::string_view app_key, std::string_view app_secret,
                         std::string_view union_id);
  // A user of the org of app `app_key` by its password: a token bound to that user.
  // kUnauthenticated (subject "client") when the key, the user or the password is wrong or the
  // user has no password, one answer for all so that it tells nothing of which; the password
  // hash is computed in every case, so timing tells nothing either.
  Result<Login> LoginUser(std::string_view app_key, std::string_view union_id,
                          std::string_view password);

  // The acting user `union_id` in org `corp_id`. kNotFound (subject "user").
  Result<User> GetUser(std::string_view corp_id, std::string_view union_id);
  // The users of org `corp_id`, ordered by unionId, without their password hashes.
  Result<std::vector<User>> ListUsers(std::string_view corp_id);

 private:
  // The records the admin operations insert, validated (their errors), not yet stored.
  Result<Org> MakeOrg(std::string corp_id, std::string name,
                      std::optional<int64_t> capacity_bytes) const;
  Result<CreatedApp> MakeApp(NewApp request) const;
  Result<User> MakeUser(std::string corp_id, std::string union_id, std::string name) const;
  std::string Sign(std::string_view payload) const;
  // A token for `app_id`, bound to `union_id` unless empty, living token_ttl_seconds.
  AccessToken MintToken(std::string_view app_id, std::string_view union_id) const;

  MetadataStore& store_;
  const Clock& clock_;
  const IdentityOptions options_;
  // Set once by Open(), read-only afterwards.
  std::optional<HmacSha256Key> token_key_;
  std::optional<HmacSha256Key> previous_token_key_;
  int64_t previous_max_expiry_ = 0;  // Seconds: the latest expiry the previous key may sign.
  // Apps by id, for Authenticate on every request. The only update of an app is its event
  // settings, which Authenticate's callers never read, so a cached record is fresh enough.
  TtlCache<App> apps_{1000, 10000};
  // Tokens whose MAC checked out within the last second, with their app: a client sends the
  // same token on every call, and the HMAC was a tenth of a GetSpace's instructions. A hit
  // needs the exact token string, and its expiry is still checked on every call.
  TtlCache<std::shared_ptr<const TokenHolder>> verified_tokens_{1000, 10000};
};

// Hashes an app secret for storage ("sha256$<salt>$<digest>") and checks one against it.
std::string HashSecret(std::string_view secret);
bool VerifySecret(std::string_view secret, std::string_view stored_hash);

// Hashes a user's password for storage: PBKDF2-HMAC-SHA256 with a random 16-byte salt over
// `iterations` rounds, "pbkdf2-sha256$<iterations>$<salt hex>$<digest hex>". A slow hash,
// unlike HashSecret's: people choose passwords, servers choose app secrets.
std::string HashPassword(std::string_view password, int iterations = kPasswordIterations);
// True if `password` matches `stored_hash` (compared in constant time); false for an empty or
// malformed hash, after hashing all the same (with `dummy_iterations` rounds).
bool VerifyPassword(std::string_view password, std::string_view stored_hash,
                    int dummy_iterations = kPasswordIterations);

}  // namespace spacestore::domain
