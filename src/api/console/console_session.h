#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "domain/identity.h"
#include "domain/identity_service.h"
#include "server/http_message.h"

namespace spacestore::api::console {

// The name of the console's session cookie.
inline constexpr std::string_view kSessionCookie = "spacestore_console";

// A console session as its cookie carries it: the signed access token the login issued and the
// user it acts as, with what the token names.
struct ConsoleSession {
  std::string token;
  domain::TokenHolder holder;  // The token's app and, for a password login, its bound user.
  domain::User user;           // The acting user, as the store has it (no password hash).
  int64_t expires_at = 0;      // The token's expiry, epoch seconds.

  domain::Actor actor() const {
    return domain::Actor{holder.app.corp_id, holder.app.app_id, user.union_id};
  }
};

// ConsoleSessions reads and writes the console's session cookie, so that any server code (the
// console's own JSON surface, server-rendered pages such as a checkLogin preview) can tell who
// is logged in to the console from a request alone.
//
// The cookie is "<access token>~<unionId>", HttpOnly, SameSite=Strict, Path=/, living as long
// as its token. It holds no secret the page does not already have (the page holds the same
// token to call the public API), and no state is kept on the server: the token is signed and
// checked by IdentityService::Authenticate on every read, so every node sharing the store
// accepts it and a token's expiry ends the session. A token bound to a user (a password login)
// acts as that user only; an app token names the user the app chose (docs/console.md).
//
// Thread-safety: thread-safe. Borrows the identity service, which must outlive it.
class ConsoleSessions {
 public:
  // `secure`: add the Secure attribute to the cookie (the public URL is https).
  ConsoleSessions(domain::IdentityService& identity, bool secure);

  // The session the request's cookie carries. kUnauthenticated (subject "session") when the
  // request has no console cookie, or it is malformed, its token invalid or expired, it names a
  // user other than the one its token is bound to, or a user no longer in the org.
  // Errors of the store otherwise.
  Result<ConsoleSession> Read(const server::HttpRequest& request) const;

  // The Actor of the request's console session (Read's errors): who a server-rendered page
  // acts for when it requires a console login.
  Result<domain::Actor> ActorOf(const server::HttpRequest& request) const;

  // The Set-Cookie value that starts a session for `token` acting as `union_id`, expiring
  // `max_age_seconds` from now.
  std::string SetCookie(std::string_view token, std::string_view union_id,
                        int64_t max_age_seconds) const;
  // The Set-Cookie value that ends the session.
  std::string ClearCookie() const;

 private:
  domain::IdentityService& identity_;
  const bool secure_;
};

// The value of cookie `name` among the request's Cookie headers, or empty.
std::string_view CookieValue(const server::HttpRequest& request, std::string_view name);

}  // namespace spacestore::api::console
