// IdentityService: orgs, apps, users, departments and stateless HMAC access tokens.
//
// The department and removal operations check the org, department and user inside their own
// transaction and leave the rest to the records (PermissionRecords moves the permission
// generations), so an admin command racing a server never acts on a half-checked state.
//
// Tokens carry their app and expiry and are signed with a key stored in the metadata store
// (setting "token_key"). A token table was rejected: it would cost a write per token and a
// cleanup job, and stateless tokens already work across nodes that share the store.
#include "domain/identity_service.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <utility>

#include "base/crypto.h"
#include "base/ids.h"
#include "domain/event_records.h"
#include "domain/identity_records.h"
#include "domain/permission_records.h"
#include "domain/quota.h"

namespace spacestore::domain {
namespace {

constexpr size_t kMaxIdLength = 64;
constexpr size_t kMacHexLength = 32;

// Ids that travel in URL paths and headers: [A-Za-z0-9_-], 1..64 characters.
bool IsValidExternalId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Error InvalidId(std::string_view field, std::string_view value) {
  return MakeError(Errc::kInvalidArgument, std::string(field),
                   std::string(field) + " '" + std::string(value) +
                       "' must be 1-64 characters of A-Z a-z 0-9 _ -");
}

// Whether `insert` ran: it runs when `found` is kNotFound; other errors pass through.
template <class T, class Insert>
Result<bool> Inserted(const Result<T>& found, Insert insert) {
  if (found) return false;
  if (found.error().code != Errc::kNotFound) return found.error();
  if (auto r = insert(); !r) return r.error();
  return true;
}

// The org, then the department, then (when `union_id` is given) the user: each kNotFound with
// its own subject, so the operator learns which id was wrong.
Result<void> CheckDepartmentMember(MetadataTransaction& tx, std::string_view corp_id,
                                   std::string_view dept_id,
                                   std::optional<std::string_view> union_id) {
  if (auto org = tx.identity().GetOrg(corp_id); !org) return org.error();
  if (auto dept = tx.permissions().GetDepartment(corp_id, dept_id); !dept) return dept.error();
  if (union_id) {
    if (auto user = tx.identity().GetUser(corp_id, *union_id); !user) return user.error();
  }
  return {};
}

}  // namespace

std::string HashSecret(std::string_view secret) {
  const std::string salt = HexEncode(RandomBytes(16));
  return "sha256$" + salt + "$" + Sha256Hex(salt + std::string(secret));
}

bool VerifySecret(std::string_view secret, std::string_view stored_hash) {
  // stored_hash = "sha256$<salt>$<digest>"
  constexpr std::string_view kPrefix = "sha256$";
  if (stored_hash.substr(0, kPrefix.size()) != kPrefix) return false;
  const std::string_view rest = stored_hash.substr(kPrefix.size());
  const size_t dollar = rest.find('$');
  if (dollar == std::string_view::npos) return false;
  const std::string salt(rest.substr(0, dollar));
  return ConstantTimeEquals(Sha256Hex(salt + std::string(secret)), rest.substr(dollar + 1));
}

std::string HashPassword(std::string_view password, int iterations) {
  const std::string salt = RandomBytes(16);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + HexEncode(salt) + "$" +
         HexEncode(Pbkdf2Sha256(password, salt, iterations, 32));
}

namespace {

// "<iterations>$<salt hex>$<digest hex>" after the prefix, or nullopt.
struct PasswordHash {
  int iterations = 0;
  std::string salt;
  std::string_view digest_hex;
};

std::optional<std::string> HexDecode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(hex.data() + i, hex.data() + i + 2, value, 16);
    if (ec != std::errc() || end != hex.data() + i + 2) return std::nullopt;
    out.push_back(static_cast<char>(value));
  }
  return out;
}

std::optional<PasswordHash> ParsePasswordHash(std::string_view stored) {
  constexpr std::string_view kPrefix = "pbkdf2-sha256$";
  if (!stored.starts_with(kPrefix)) return std::nullopt;
  stored.remove_prefix(kPrefix.size());
  const size_t first = stored.find('$');
  const size_t second = first == std::string_view::npos ? first : stored.find('$', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  PasswordHash hash;
  const auto [end, ec] = std::from_chars(stored.data(), stored.data() + first, hash.iterations);
  // An upper bound, so a corrupt row cannot make one login take minutes.
  if (ec != std::errc() || end != stored.data() + first || hash.iterations < 1 ||
      hash.iterations > 10'000'000) {
    return std::nullopt;
  }
  auto salt = HexDecode(stored.substr(first + 1, second - first - 1));
  if (!salt) return std::nullopt;
  hash.salt = std::move(*salt);
  hash.digest_hex = stored.substr(second + 1);
  return hash;
}

}  // namespace

bool VerifyPassword(std::string_view password, std::string_view stored_hash, int dummy_iterations) {
  const auto parsed = ParsePasswordHash(stored_hash);
  // Without a usable hash, one of the default cost all the same: a login for a user without a
  // password takes as long as one with a wrong password.
  const PasswordHash hash = parsed.value_or(PasswordHash{dummy_iterations, "salt", ""});
  const std::string digest = HexEncode(Pbkdf2Sha256(password, hash.salt, hash.iterations, 32));
  return parsed.has_value() && ConstantTimeEquals(digest, hash.digest_hex);
}

IdentityService::IdentityService(MetadataStore& store, const Clock& clock, IdentityOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

Result<void> IdentityService::Open() {
  if (!options_.token_key.empty()) {
    // A key from outside stays outside: nothing is read from or written to the settings.
    token_key_.emplace(options_.token_key);
  } else {
    auto key = store_.GetOrCreateSetting("token_key", HexEncode(RandomBytes(32)));
    if (!key) return key.error();
    token_key_.emplace(*key);
  }
  if (!options_.previous_token_key.empty()) {
    previous_token_key_.emplace(options_.previous_token_key);
    // Rounded up like IssueToken's expiry, so a token issued the second before still fits.
    previous_max_expiry_ = (clock_.NowMillis() + options_.token_ttl_seconds * 1000 + 999) / 1000;
  }
  return {};
}

// Every read and insert is one transaction: nodes started together on a fresh store would
// otherwise each find no org and each create one (or, with fixed credentials, all but one fail
// on the duplicate). Everything random is drawn before it, since a transaction may run more
// than once (PostgreSQL retries serialization failures).
Result<std::optional<BootstrapResult>> IdentityService::Bootstrap(const BootstrapRequest& request) {
  auto org = MakeOrg(request.corp_id.empty() ? "ding" + RandomAlnumId(16) : request.corp_id,
                     "Default organization", std::nullopt);
  if (!org) return org.error();
  auto app =
      MakeApp(NewApp{org->corp_id, "Default app", {}, request.app_key, request.app_secret, {}});
  if (!app) return app.error();
  auto user = MakeUser(org->corp_id, request.union_id, "Default user");
  if (!user) return user.error();
  return store_.Write([&](MetadataTransaction& tx) -> Result<std::optional<BootstrapResult>> {
    auto& ids = tx.identity();
    auto orgs = ids.ListOrgs();
    if (!orgs) return orgs.error();
    const bool fresh = orgs->empty();
    if (!fresh && request.corp_id.empty()) return std::optional<BootstrapResult>();
    BootstrapResult out;
    out.corp_id = org->corp_id;
    auto made_org = Inserted(ids.GetOrg(org->corp_id), [&] { return ids.InsertOrg(*org); });
    if (!made_org) return made_org.error();
    bool made_any = fresh || *made_org;
    if (fresh || !request.app_key.empty()) {
      auto existing = request.app_key.empty() ? Result<App>(Error{Errc::kNotFound, "app", ""})
                                              : ids.FindAppByKey(request.app_key);
      if (existing) {
        out.app_id = existing->app_id;
        out.app_key = existing->app_key;
      } else if (existing.error().code != Errc::kNotFound) {
        return existing.error();
      } else {
        if (auto r = ids.InsertApp(app->app); !r) return r.error();
        out.app_id = app->app.app_id;
        out.app_key = app->app.app_key;
        out.app_secret = app->app_secret;
        made_any = true;
      }
    }
    if (fresh || !request.union_id.empty()) {
      out.union_id = user->union_id;
      auto made_user = Inserted(ids.GetUser(org->corp_id, user->union_id),
                                [&] { return ids.InsertUser(*user); });
      if (!made_user) return made_user.error();
      made_any = made_any || *made_user;
    }
    if (!made_any) return std::optional<BootstrapResult>();
    return std::optional<BootstrapResult>(std::move(out));
  });
}

Result<Org> IdentityService::MakeOrg(std::string corp_id, std::string name,
                                     std::optional<int64_t> capacity_bytes) const {
  if (!IsValidExternalId(corp_id)) return InvalidId("corpId", corp_id);
  if (auto ok = CheckQuotaLimit(capacity_bytes, "capacity"); !ok) return ok.error();
  return Org{std::move(corp_id), std::move(name),
             capacity_bytes.value_or(options_.default_org_capacity_bytes), clock_.NowMillis()};
}

Result<Org> IdentityService::CreateOrg(std::string corp_id, std::string name,
                                       std::optional<int64_t> capacity_bytes) {
  auto org = MakeOrg(std::move(corp_id), std::move(name), capacity_bytes);
  if (!org) return org.error();
  if (auto r = store_.CreateOrg(*org); !r) return r.error();
  return org;
}

Result<CreatedApp> IdentityService::MakeApp(NewApp request) const {
  if (request.app_key.empty()) request.app_key = "ding" + RandomAlnumId(16);
  if (request.app_secret.empty()) request.app_secret = RandomAlnumId(48);
  if (!IsValidExternalId(request.app_key)) return InvalidId("appKey", request.app_key);
  if (request.scopes.empty()) request.scopes = AllStorageScopes();
  for (const auto& scope : request.scopes) {
    if (!IsKnownScope(scope)) {
      return MakeError(Errc::kInvalidArgument, "scopes", "unknown scope '" + scope + "'");
    }
  }
  if (auto ok = CheckQuotaLimit(request.quota_bytes, "quota"); !ok) return ok.error();
  const int64_t now = clock_.NowMillis();
  App app{RandomDigitsId(9),
          std::move(request.app_key),
          HashSecret(request.app_secret),
          std::move(request.corp_id),
          request.name.empty() ? "app" : std::move(request.name),
          std::move(request.scopes),
          request.quota_bytes,
          now,
          now,
          {},
          {}};
  return CreatedApp{std::move(app), std::move(request.app_secret)};
}

Result<CreatedApp> IdentityService::CreateApp(NewApp request) {
  auto app = MakeApp(std::move(request));
  if (!app) return app.error();
  if (auto r = store_.CreateApp(app->app); !r) return r.error();
  return app;
}

namespace {

// An event callback URL: http:// or https://, a non-empty host, nothing a header or a log line
// could be split by. The delivery client parses it fully when it sends.
bool IsEventUrl(std::string_view url) {
  std::string_view rest;
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.starts_with(scheme)) rest = url.substr(scheme.size());
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == ':' || url.size() > 2048) {
    return false;
  }
  return std::none_of(url.begin(), url.end(),
                      [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

// Creates the app's push cursor at its org's last seq if it has none.
Result<void> StartEventCursor(MetadataTransaction& tx, const App& app) {
  auto cursor = tx.events().GetDelivery(app.app_id);
  if (!cursor) return cursor.error();
  if (cursor->has_value()) return {};
  auto last = tx.events().LastSeq(app.corp_id);
  if (!last) return last.error();
  return tx.events().PutDelivery(EventDelivery{.app_id = app.app_id,
                                               .delivered_seq = *last,
                                               .attempts = 0,
                                               .next_attempt_at = 0,
                                               .last_error = ""});
}

}  // namespace

Result<ConfiguredAppEvents> IdentityService::ConfigureAppEvents(std::string_view app_id,
                                                                const AppEventSettings& settings) {
  if (settings.event_url && !settings.event_url->empty() && !IsEventUrl(*settings.event_url)) {
    return MakeError(Errc::kInvalidArgument, "eventUrl",
                     "the event URL must be http:// or https:// with a host");
  }
  return store_.Write([&](MetadataTransaction& tx) -> Result<ConfiguredAppEvents> {
    auto app = tx.identity().GetApp(app_id);
    if (!app) return app.error();
    ConfiguredAppEvents out;
    if (settings.event_url) app->event_url = *settings.event_url;
    if (settings.rotate_secret || (!app->event_url.empty() && app->event_secret.empty())) {
      // 32 random bytes, hex: a receiver can store and paste it as text.
      out.new_secret = HexEncode(RandomBytes(32));
      app->event_secret = out.new_secret;
    }
    app->modified_time = clock_.NowMillis();
    // A first URL starts the app's push at the log's head (docs/events.md, "Push delivery").
    if (!app->event_url.empty()) {
      if (auto r = StartEventCursor(tx, *app); !r) return r.error();
    }
    if (auto r = tx.identity().UpdateAppEvents(app->app_id, app->event_url, app->event_secret,
                                               app->modified_time);
        !r) {
      return r.error();
    }
    out.app = std::move(*app);
    return out;
  });
}

Result<User> IdentityService::MakeUser(std::string corp_id, std::string union_id,
                                       std::string name) const {
  if (union_id.empty()) union_id = RandomAlnumId(22);
  if (!IsValidExternalId(union_id)) return InvalidId("unionId", union_id);
  return User{std::move(union_id), std::move(corp_id), std::move(name), clock_.NowMillis()};
}

namespace {

Result<void> CheckPassword(std::string_view password) {
  // Bytes, not characters: the bounds keep out the trivially short and the hash's input small.
  if (password.size() < 8 || password.size() > 1024) {
    return MakeError(Errc::kInvalidArgument, "password", "a password must have 8 to 1024 bytes");
  }
  return {};
}

}  // namespace

Result<User> IdentityService::CreateUser(std::string corp_id, std::string union_id,
                                         std::string name, std::string_view password) {
  auto user = MakeUser(std::move(corp_id), std::move(union_id), std::move(name));
  if (!user) return user.error();
  if (!password.empty()) {
    if (auto ok = CheckPassword(password); !ok) return ok.error();
    user->password_hash = HashPassword(password, options_.password_iterations);
  }
  if (auto r = store_.CreateUser(*user); !r) return r.error();
  return user;
}

Result<Department> IdentityService::CreateDepartment(std::string corp_id, std::string dept_id,
                                                     std::string name) {
  if (!IsValidExternalId(dept_id)) return InvalidId("deptId", dept_id);
  if (name.empty()) name = dept_id;
  Department dept{std::move(corp_id), std::move(dept_id), std::move(name), clock_.NowMillis()};
  auto made = store_.Write([&](MetadataTransaction& tx) -> Result<void> {
    if (auto org = tx.identity().GetOrg(dept.corp_id); !org) return org.error();
    return tx.permissions().InsertDepartment(dept);
  });
  if (!made) return made.error();
  return dept;
}

Result<std::vector<Department>> IdentityService::ListDepartments(std::string_view corp_id) {
  return store_.Snapshot([&](MetadataTransaction& tx) -> Result<std::vector<Department>> {
    if (auto org = tx.identity().GetOrg(corp_id); !org) return org.error();
    return tx.permissions().ListDepartments(corp_id);
  });
}

Result<bool> IdentityService::AddDepartmentMember(std::string_view corp_id,
                                                  std::string_view dept_id,
                                                  std::string_view union_id) {
  return store_.Write([&](MetadataTransaction& tx) -> Result<bool> {
    if (auto ok = CheckDepartmentMember(tx, corp_id, dept_id, union_id); !ok) return ok.error();
    return tx.permissions().AddDepartmentMember(corp_id, dept_id, union_id);
  });
}

Result<bool> IdentityService::RemoveDepartmentMember(std::string_view corp_id,
                                                     std::string_view dept_id,
                                                     std::string_view union_id) {
  return store_.Write([&](MetadataTransaction& tx) -> Result<bool> {
    if (auto ok = CheckDepartmentMember(tx, corp_id, dept_id, union_id); !ok) return ok.error();
    return tx.permissions().RemoveDepartmentMember(corp_id, dept_id, union_id);
  });
}

Result<std::vector<std::string>> IdentityService::ListDepartmentMembers(std::string_view corp_id,
                                                                        std::string_view dept_id) {
  return store_.Snapshot([&](MetadataTransaction& tx) -> Result<std::vector<std::string>> {
    if (auto ok = CheckDepartmentMember(tx, corp_id, dept_id, std::nullopt); !ok) {
      return ok.error();
    }
    return tx.permissions().ListDepartmentMembers(corp_id, dept_id);
  });
}

Result<void> IdentityService::RemoveUser(std::string_view corp_id, std::string_view union_id) {
  return store_.Write([&](MetadataTransaction& tx) -> Result<void> {
    if (auto org = tx.identity().GetOrg(corp_id); !org) return org.error();
    return tx.identity().DeleteUser(corp_id, union_id);
  });
}

Result<void> IdentityService::SetUserPassword(std::string_view corp_id, std::string_view union_id,
                                              std::string_view password) {
  if (!password.empty()) {
    if (auto ok = CheckPassword(password); !ok) return ok;
  }
  // Hashed before the transaction: the slow part holds no database lock.
  const std::string hash =
      password.empty() ? std::string() : HashPassword(password, options_.password_iterations);
  return store_.Write([&](MetadataTransaction& tx) -> Result<void> {
    if (auto org = tx.identity().GetOrg(corp_id); !org) return org.error();
    return tx.identity().SetUserPassword(corp_id, union_id, hash);
  });
}

std::string IdentityService::Sign(std::string_view payload) const {
  return HexEncode(token_key_->Sign(payload)).substr(0, kMacHexLength);
}

Result<AccessToken> IdentityService::IssueToken(std::string_view app_key,
                                                std::string_view app_secret) {
  const Error bad{Errc::kUnauthenticated, "client", "invalid appKey or appSecret"};
  auto app = store_.FindAppByKey(app_key);
  if (!app) return app.error().code == Errc::kNotFound ? bad : app.error();
  if (!VerifySecret(app_secret, app->secret_hash)) return bad;
  return MintToken(app->app_id, "");
}

AccessToken IdentityService::MintToken(std::string_view app_id, std::string_view union_id) const {
  // Rounded up, so the token lives at least expireIn seconds.
  const int64_t expiry = (clock_.NowMillis() + options_.token_ttl_seconds * 1000 + 999) / 1000;
  std::string payload = std::string(app_id) + "." + std::to_string(expiry);
  if (!union_id.empty()) payload += "." + std::string(union_id);
  return AccessToken{payload + "." + Sign(payload), options_.token_ttl_seconds};
}

Result<Login> IdentityService::LoginApp(std::string_view app_key, std::string_view app_secret,
                                        std::string_view union_id) {
  const Error bad{Errc::kUnauthenticated, "client", "invalid appKey or appSecret"};
  auto app = store_.FindAppByKey(app_key);
  if (!app) return app.error().code == Errc::kNotFound ? bad : app.error();
  if (!VerifySecret(app_secret, app->secret_hash)) return bad;
  auto user = store_.GetUser(app->corp_id, union_id);
  if (!user) return user.error();
  user->password_hash.clear();  // Not for the caller.
  return Login{MintToken(app->app_id, ""), std::move(*app), std::move(*user)};
}

Result<Login> IdentityService::LoginUser(std::string_view app_key, std::string_view union_id,
                                         std::string_view password) {
  const Error bad{Errc::kUnauthenticated, "client", "invalid appKey, unionId or password"};
  auto app = store_.FindAppByKey(app_key);
  if (!app && app.error().code != Errc::kNotFound) return app.error();
  Result<User> user = bad;
  if (app) user = store_.GetUser(app->corp_id, union_id);
  if (!user && user.error().code != Errc::kNotFound && user.error().code != bad.code) {
    return user.error();
  }
  // Hashed whatever was found, so a missing app or user answers as slowly as a wrong password.
  const bool verified = VerifyPassword(password, user ? user->password_hash : std::string_view(),
                                       options_.password_iterations);
  if (!app || !user || !verified) return bad;
  user->password_hash.clear();
  return Login{MintToken(app->app_id, user->union_id), std::move(*app), std::move(*user)};
}

Result<std::shared_ptr<const TokenHolder>> IdentityService::Authenticate(std::string_view token) {
  // Made only when needed: a good token, the common case, costs no allocation for it.
  const auto bad = [] {
    return Error{Errc::kUnauthenticated, "token", "invalid or expired access token"};
  };
  if (token.size() >= 2 && token.front() == '"' && token.back() == '"') {
    token = token.substr(1, token.size() - 2);  // Old SDKs JSON-encoded the header value.
  }
  const size_t mac_dot = token.rfind('.');
  if (mac_dot == std::string_view::npos) return bad();
  const std::string_view payload = token.substr(0, mac_dot);
  const size_t expiry_dot = payload.find('.');
  if (expiry_dot == std::string_view::npos) return bad();
  // "<expiry>" or "<expiry>.<unionId>" after the app id.
  std::string_view expiry_text = payload.substr(expiry_dot + 1);
  std::string_view bound_user;
  if (const size_t user_dot = expiry_text.find('.'); user_dot != std::string_view::npos) {
    bound_user = expiry_text.substr(user_dot + 1);
    expiry_text = expiry_text.substr(0, user_dot);
    if (!IsValidExternalId(bound_user)) return bad();
  }
  int64_t expiry = 0;
  const auto [end, ec] =
      std::from_chars(expiry_text.data(), expiry_text.data() + expiry_text.size(), expiry);
  if (ec != std::errc() || end != expiry_text.data() + expiry_text.size()) return bad();
  const int64_t now = clock_.NowMillis();
  if (now / 1000 >= expiry) return bad();
  if (auto cached = verified_tokens_.Get(token, now)) return std::move(*cached);
  if (!ConstantTimeEquals(Sign(payload), token.substr(mac_dot + 1))) {
    // A rotation's grace: the previous key only vouches for expiries it could have signed
    // before the restart, so a leaked old key cannot mint tokens beyond it.
    const bool previous =
        previous_token_key_ && expiry <= previous_max_expiry_ &&
        ConstantTimeEquals(HexEncode(previous_token_key_->Sign(payload)).substr(0, kMacHexLength),
                           token.substr(mac_dot + 1));
    if (!previous) return bad();
  }
  const std::string app_id(payload.substr(0, expiry_dot));
  auto app = apps_.Get(app_id, now);
  if (!app) {
    auto stored = store_.GetApp(app_id);
    if (!stored) return stored.error().code == Errc::kNotFound ? bad() : stored.error();
    apps_.Put(app_id, *stored, now);
    app = std::move(*stored);
  }
  auto holder =
      std::make_shared<const TokenHolder>(TokenHolder{std::move(*app), std::string(bound_user)});
  verified_tokens_.Put(std::string(token), holder, now);
  return holder;
}

Result<User> IdentityService::GetUser(std::string_view corp_id, std::string_view union_id) {
  return store_.GetUser(corp_id, union_id);
}

Result<std::vector<User>> IdentityService::ListUsers(std::string_view corp_id) {
  auto users = store_.ListUsers(corp_id);
  if (!users) return users.error();
  for (User& user : *users) user.password_hash.clear();
  return users;
}

}  // namespace spacestore::domain
