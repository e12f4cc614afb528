// ConsoleSessions: the console's session cookie, read back into an Actor.
//
// The cookie repeats the page's access token rather than naming a server-side session row: a
// session table would cost a write per login and a cleanup job, and the token is already
// signed, expiring and accepted by every node (the same choice as IdentityService's tokens).
#include "api/console/console_session.h"

#include <algorithm>
#include <charconv>
#include <string>

namespace spacestore::api::console {
namespace {

constexpr char kSeparator = '~';  // Neither a token nor a unionId can hold it.

Error NoSession(std::string message) {
  return MakeError(Errc::kUnauthenticated, "session", std::move(message));
}

// The expiry of a token "<appId>.<expiry>[.<unionId>].<mac>", already verified.
int64_t TokenExpiry(std::string_view token) {
  const size_t first = token.find('.');
  if (first == std::string_view::npos) return 0;
  token.remove_prefix(first + 1);
  int64_t expiry = 0;
  std::from_chars(token.data(), token.data() + token.size(), expiry);
  return expiry;
}

}  // namespace

std::string_view CookieValue(const server::HttpRequest& request, std::string_view name) {
  for (const auto& [header, value] : request.headers) {
    if (header != "cookie") continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      const size_t end = std::min(rest.find(';'), rest.size());
      std::string_view pair = rest.substr(0, end);
      rest.remove_prefix(std::min(end + 1, rest.size()));
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
        return pair.substr(name.size() + 1);
      }
    }
  }
  return {};
}

ConsoleSessions::ConsoleSessions(domain::IdentityService& identity, bool secure)
    : identity_(identity), secure_(secure) {}

Result<ConsoleSession> ConsoleSessions::Read(const server::HttpRequest& request) const {
  const std::string_view cookie = CookieValue(request, kSessionCookie);
  if (cookie.empty()) return NoSession("not logged in to the console");
  const size_t separator = cookie.rfind(kSeparator);
  if (separator == std::string_view::npos) return NoSession("malformed console session");
  const std::string_view token = cookie.substr(0, separator);
  const std::string_view union_id = cookie.substr(separator + 1);
  auto authenticated = identity_.Authenticate(token);
  if (!authenticated) {
    if (authenticated.error().code == Errc::kUnauthenticated) {
      return NoSession("the console session has expired");
    }
    return authenticated.error();
  }
  const domain::TokenHolder* holder = authenticated->get();
  if (union_id.empty() || (!holder->union_id.empty() && holder->union_id != union_id)) {
    return NoSession("malformed console session");
  }
  auto user = identity_.GetUser(holder->app.corp_id, union_id);
  if (!user) {
    if (user.error().code == Errc::kNotFound) return NoSession("the user is no longer in the org");
    return user.error();
  }
  user->password_hash.clear();
  return ConsoleSession{std::string(token), *holder, std::move(*user), TokenExpiry(token)};
}

Result<domain::Actor> ConsoleSessions::ActorOf(const server::HttpRequest& request) const {
  auto session = Read(request);
  if (!session) return session.error();
  return session->actor();
}

std::string ConsoleSessions::SetCookie(std::string_view token, std::string_view union_id,
                                       int64_t max_age_seconds) const {
  std::string cookie =
      std::string(kSessionCookie) + "=" + std::string(token) + kSeparator + std::string(union_id) +
      "; Path=/; Max-Age=" + std::to_string(max_age_seconds) + "; HttpOnly; SameSite=Strict";
  if (secure_) cookie += "; Secure";
  return cookie;
}

std::string ConsoleSessions::ClearCookie() const {
  std::string cookie =
      std::string(kSessionCookie) + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict";
  if (secure_) cookie += "; Secure";
  return cookie;
}

}  // namespace spacestore::api::console
