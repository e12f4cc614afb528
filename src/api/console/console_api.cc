// ConsoleApi: the console's page and its login surface.
//
// The login answers with the same access token the page then sends to the public DingTalk API,
// and repeats it in an HttpOnly cookie so that the session survives a reload and server-rendered
// pages can tell who is logged in (ConsoleSessions). A separate console-only token kind was
// rejected: the page would need a second authorization path through every endpoint, the very
// thing the console must not have.
#include "api/console/console_api.h"

#include <algorithm>
#include <string>
#include <utility>

#include <boost/json.hpp>

#include "api/dingtalk_v1/errors.h"
#include "server/json_body.h"

namespace spacestore::api::console {
namespace {

namespace json = boost::json;

constexpr std::string_view kPrefix = "/console/";
constexpr std::string_view kApi = "/console/api/";

// Route templates for the metrics (string literals, as HttpResponse::route requires).
constexpr std::string_view kPageRoute = "/console/{asset}";
constexpr std::string_view kLoginRoute = "/console/api/login";
constexpr std::string_view kSessionRoute = "/console/api/session";
constexpr std::string_view kLogoutRoute = "/console/api/logout";
constexpr std::string_view kUsersRoute = "/console/api/users";

server::HttpResponse Error(const spacestore::Error& error, const server::HttpRequest& request) {
  return dingtalk_v1::ErrorResponse(error, request.request_id);
}

server::HttpResponse Reply(const json::object& body) {
  server::HttpResponse response = server::MakeResponse(200, json::serialize(body));
  // Tokens in the body: never stored by a cache.
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// A body-carrying request must say it is JSON: a cross-site HTML form cannot, and a cross-site
// fetch that does needs a preflight this server never grants.
bool IsJson(const server::HttpRequest& request) {
  const auto type = request.Header("content-type");
  return type && type->starts_with("application/json");
}

Result<std::string> RequiredString(const json::object& body, std::string_view key) {
  auto value = server::GetString(body, key);
  if (!value) return value.error();
  if (!*value || server::IsBlank(**value)) {
    return MakeError(Errc::kInvalidArgument, std::string(key), std::string(key) + " is required");
  }
  return std::move(**value);
}

}  // namespace

ConsoleApi::ConsoleApi(domain::IdentityService& identity, const ConsoleSessions& sessions,
                       const Clock& clock)
    : identity_(identity),
      sessions_(sessions),
      clock_(clock),
      assets_(ConsoleAssets(), server::StaticAssets::Options{.prefix = std::string(kPrefix)}) {}

bool ConsoleApi::Owns(std::string_view path) {
  return path == "/console" || path.starts_with(kPrefix);
}

server::HttpResponse ConsoleApi::Handle(const server::HttpRequest& request) const {
  if (request.path == "/console") {
    server::HttpResponse redirect = server::MakeResponse(308, "", "text/plain;charset=utf-8");
    redirect.headers = {{"Location", std::string(kPrefix)}};
    redirect.route = kPageRoute;
    return redirect;
  }
  if (!request.path.starts_with(kApi)) {
    server::HttpResponse page = *assets_.Serve(request);
    page.route = kPageRoute;
    return page;
  }
  const std::string_view name = std::string_view(request.path).substr(kApi.size());
  const std::string& method = request.method;
  server::HttpResponse response;
  if (name == "login" && method == "POST") {
    response = Login(request);
    response.route = kLoginRoute;
  } else if (name == "session" && method == "GET") {
    response = GetSession(request);
    response.route = kSessionRoute;
  } else if (name == "session" && method == "PUT") {
    response = SwitchUser(request);
    response.route = kSessionRoute;
  } else if (name == "logout" && method == "POST") {
    response = Logout(request);
    response.route = kLogoutRoute;
  } else if (name == "users" && method == "GET") {
    response = ListUsers(request);
    response.route = kUsersRoute;
  } else if (name == "login" || name == "session" || name == "logout" || name == "users") {
    response = dingtalk_v1::ErrorResponse(405, "InvalidAction.MethodNotAllowed",
                                          method + " is not allowed on " + request.path,
                                          request.request_id);
  } else {
    response =
        dingtalk_v1::ErrorResponse(404, "InvalidAction.NotFound",
                                   "no API at " + method + " " + request.path, request.request_id);
  }
  return response;
}

server::HttpResponse ConsoleApi::SessionReply(const ConsoleSession& session,
                                              bool set_cookie) const {
  const int64_t expire_in = std::max<int64_t>(0, session.expires_at - clock_.NowMillis() / 1000);
  json::object body{
      {"accessToken", session.token},
      {"expireIn", expire_in},
      {"expireTime", FormatIsoSeconds(session.expires_at * 1000)},
      {"corpId", session.holder.app.corp_id},
      {"appId", session.holder.app.app_id},
      {"appName", session.holder.app.name},
      {"unionId", session.user.union_id},
      {"name", session.user.name},
      // "user": a password login, bound to its user; "app": an app acting as a user it chose.
      {"mode", session.holder.union_id.empty() ? "app" : "user"},
  };
  server::HttpResponse response = Reply(body);
  if (set_cookie) {
    response.headers.emplace_back(
        "Set-Cookie", sessions_.SetCookie(session.token, session.user.union_id, expire_in));
  }
  return response;
}

server::HttpResponse ConsoleApi::Login(const server::HttpRequest& request) const {
  if (!IsJson(request)) {
    return Error(
        MakeError(Errc::kInvalidArgument, "content-type", "the body must be application/json"),
        request);
  }
  auto body = server::ParseJsonObject(request.body);
  if (!body) return Error(body.error(), request);
  auto app_key = RequiredString(*body, "appKey");
  if (!app_key) return Error(app_key.error(), request);
  auto union_id = RequiredString(*body, "unionId");
  if (!union_id) return Error(union_id.error(), request);
  auto app_secret = server::GetString(*body, "appSecret");
  if (!app_secret) return Error(app_secret.error(), request);
  auto password = server::GetString(*body, "password");
  if (!password) return Error(password.error(), request);
  if (app_secret->has_value() == password->has_value()) {
    return Error(MakeError(Errc::kInvalidArgument, "appSecret",
                           "give either appSecret (an app acting as a user) or password (a "
                           "user's own login)"),
                 request);
  }
  auto login = password->has_value() ? identity_.LoginUser(*app_key, *union_id, **password)
                                     : identity_.LoginApp(*app_key, **app_secret, *union_id);
  if (!login) return Error(login.error(), request);
  auto holder = identity_.Authenticate(login->token.token);
  if (!holder) return Error(holder.error(), request);
  ConsoleSession session{login->token.token, **holder, std::move(login->user),
                         clock_.NowMillis() / 1000 + login->token.expire_in};
  return SessionReply(session, true);
}

server::HttpResponse ConsoleApi::GetSession(const server::HttpRequest& request) const {
  auto session = sessions_.Read(request);
  if (!session) return Error(session.error(), request);
  return SessionReply(*session, false);
}

server::HttpResponse ConsoleApi::SwitchUser(const server::HttpRequest& request) const {
  if (!IsJson(request)) {
    return Error(
        MakeError(Errc::kInvalidArgument, "content-type", "the body must be application/json"),
        request);
  }
  auto session = sessions_.Read(request);
  if (!session) return Error(session.error(), request);
  auto body = server::ParseJsonObject(request.body);
  if (!body) return Error(body.error(), request);
  auto union_id = RequiredString(*body, "unionId");
  if (!union_id) return Error(union_id.error(), request);
  if (!session->holder.union_id.empty() && session->holder.union_id != *union_id) {
    return Error(MakeError(Errc::kPermissionDenied, "session",
                           "a user's own login cannot act as another user"),
                 request);
  }
  auto user = identity_.GetUser(session->holder.app.corp_id, *union_id);
  if (!user) return Error(user.error(), request);
  user->password_hash.clear();
  session->user = std::move(*user);
  return SessionReply(*session, true);
}

server::HttpResponse ConsoleApi::Logout(const server::HttpRequest& /*request*/) const {
  // No session needed: clearing a cookie that is not there harms nothing. The token itself
  // stays valid until it expires (tokens are stateless); the page forgets it.
  server::HttpResponse response = Reply(json::object{{"success", true}});
  response.headers.emplace_back("Set-Cookie", sessions_.ClearCookie());
  return response;
}

server::HttpResponse ConsoleApi::ListUsers(const server::HttpRequest& request) const {
  auto session = sessions_.Read(request);
  if (!session) return Error(session.error(), request);
  auto users = identity_.ListUsers(session->holder.app.corp_id);
  if (!users) return Error(users.error(), request);
  json::array list;
  for (const domain::User& user : *users) {
    list.push_back(json::object{{"unionId", user.union_id}, {"name", user.name}});
  }
  return Reply(json::object{{"users", std::move(list)}});
}

}  // namespace spacestore::api::console
