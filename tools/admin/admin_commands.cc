// The admin command line. It links the domain only (no HTTP, no concrete store: the composition
// root opens the store), the way leveldb's repair tool reuses the engine.
#include "tools/admin/admin_commands.h"

#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>

#include "base/clock.h"
#include "domain/identity_service.h"

namespace spacestore::tools {

namespace json = boost::json;

namespace {

json::object OrgJson(const domain::Org& o) {
  return {{"corpId", o.corp_id},
          {"name", o.name},
          {"capacityBytes", o.capacity_bytes},
          {"createTime", FormatIsoSeconds(o.create_time)}};
}

json::object AppJson(const domain::App& a) {
  json::array scopes;
  for (const auto& s : a.scopes) scopes.emplace_back(s);
  json::object o{{"appId", a.app_id},           {"appKey", a.app_key},
                 {"corpId", a.corp_id},         {"name", a.name},
                 {"scopes", std::move(scopes)}, {"createTime", FormatIsoSeconds(a.create_time)}};
  if (a.quota_bytes) o["quotaBytes"] = *a.quota_bytes;
  return o;
}

json::object UserJson(const domain::User& u) {
  return {{"unionId", u.union_id},
          {"corpId", u.corp_id},
          {"name", u.name},
          {"createTime", FormatIsoSeconds(u.create_time)}};
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

}  // namespace

AdminCommands::AdminCommands(CLI::App& admin) {
  admin.require_subcommand(1);
  auto* org = admin.add_subcommand("org", "Manage organizations")->require_subcommand(1);
  auto* org_create = org->add_subcommand("create", "Create an organization");
  org_create->add_option("--corp-id", args_.corp_id, "Organization id (corpId)")->required();
  org_create->add_option("--name", args_.name, "Display name");
  org_create->add_option("--capacity-bytes", args_.capacity_bytes,
                         "Drive capacity in bytes (default 1 TiB)");
  org_create->callback([this] { action_ = Action::kOrgCreate; });
  org->add_subcommand("list", "List organizations")->callback([this] {
    action_ = Action::kOrgList;
  });

  auto* app = admin.add_subcommand("app", "Manage applications")->require_subcommand(1);
  auto* app_create = app->add_subcommand("create", "Create an application");
  app_create->add_option("--corp-id", args_.corp_id, "Organization of the app")->required();
  app_create->add_option("--name", args_.name, "Display name");
  app_create->add_option("--scopes", args_.scopes,
                         "Comma-separated scopes (default: every Storage.* scope)");
  app_create->add_option("--app-key", args_.app_key, "Fixed appKey (default: generated)");
  app_create->add_option("--app-secret", args_.app_secret, "Fixed appSecret (default: generated)");
  app_create->add_option("--quota-bytes", args_.quota_bytes,
                         "Dedicated capacity in bytes (default: share the org's)");
  app_create->callback([this] { action_ = Action::kAppCreate; });
  auto* app_list = app->add_subcommand("list", "List applications");
  app_list->add_option("--corp-id", args_.corp_id, "Only this organization's apps");
  app_list->callback([this] { action_ = Action::kAppList; });

  auto* user = admin.add_subcommand("user", "Manage users")->require_subcommand(1);
  auto* user_create = user->add_subcommand("create", "Create a user");
  user_create->add_option("--corp-id", args_.corp_id, "Organization of the user")->required();
  user_create->add_option("--union-id", args_.union_id, "Fixed unionId (default: generated)");
  user_create->add_option("--name", args_.name, "Display name");
  user_create->callback([this] { action_ = Action::kUserCreate; });
  auto* user_list = user->add_subcommand("list", "List users");
  user_list->add_option("--corp-id", args_.corp_id, "Only this organization's users");
  user_list->callback([this] { action_ = Action::kUserList; });
}

int AdminCommands::Fail(const Error& e) {
  std::cerr << "spacestore admin: " << ErrcName(e.code) << ": " << e.message << "\n";
  return 1;
}

int AdminCommands::Run(domain::MetadataStore& store) {
  SystemClock clock;
  domain::IdentityService identity(store, clock, {});

  json::value out;
  switch (action_) {
    case Action::kOrgCreate: {
      auto org = identity.CreateOrg(
          args_.corp_id, args_.name.empty() ? args_.corp_id : args_.name,
          args_.capacity_bytes > 0 ? std::optional<int64_t>(args_.capacity_bytes) : std::nullopt);
      if (!org) return Fail(org.error());
      out = OrgJson(*org);
      break;
    }
    case Action::kOrgList: {
      auto orgs = store.ListOrgs();
      if (!orgs) return Fail(orgs.error());
      json::array list;
      for (const auto& o : *orgs) list.push_back(OrgJson(o));
      out = std::move(list);
      break;
    }
    case Action::kAppCreate: {
      auto app = identity.CreateApp(domain::NewApp{
          args_.corp_id, args_.name, SplitCommas(args_.scopes), args_.app_key, args_.app_secret,
          args_.quota_bytes > 0 ? std::optional<int64_t>(args_.quota_bytes) : std::nullopt});
      if (!app) return Fail(app.error());
      json::object o = AppJson(app->app);
      o["appSecret"] = app->app_secret;
      out = std::move(o);
      break;
    }
    case Action::kAppList: {
      auto apps = store.ListApps(args_.corp_id);
      if (!apps) return Fail(apps.error());
      json::array list;
      for (const auto& a : *apps) list.push_back(AppJson(a));
      out = std::move(list);
      break;
    }
    case Action::kUserCreate: {
      auto user = identity.CreateUser(args_.corp_id, args_.union_id,
                                      args_.name.empty() ? "user" : args_.name);
      if (!user) return Fail(user.error());
      out = UserJson(*user);
      break;
    }
    case Action::kUserList: {
      auto users = store.ListUsers(args_.corp_id);
      if (!users) return Fail(users.error());
      json::array list;
      for (const auto& u : *users) list.push_back(UserJson(u));
      out = std::move(list);
      break;
    }
    case Action::kNone:
      return 2;
  }
  std::cout << json::serialize(out) << std::endl;
  return 0;
}

}  // namespace spacestore::tools
