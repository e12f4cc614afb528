// The admin command line. It links the domain only (no HTTP, no concrete store: the composition
// root opens the store), the way leveldb's repair tool reuses the engine.
#include "tools/admin/admin_commands.h"

#include <iostream>
#include <sstream>
#include <string>

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

json::object DepartmentJson(const domain::Department& d) {
  return {{"corpId", d.corp_id},
          {"deptId", d.dept_id},
          {"name", d.name},
          {"createTime", FormatIsoSeconds(d.create_time)}};
}

// A JSON array of `items`, each converted by `to_json`.
template <class T, class ToJson>
json::array ListJson(const std::vector<T>& items, ToJson to_json) {
  json::array list;
  for (const auto& item : items) list.emplace_back(to_json(item));
  return list;
}

// The console password on stdin: its first line, without the line end. Read from stdin, never
// from the command line, where other users of the machine could see it (ps, shell history).
Result<std::string> ReadPassword() {
  std::string line;
  std::getline(std::cin, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line.empty()) {
    return MakeError(Errc::kInvalidArgument, "password", "no password on standard input");
  }
  return line;
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
  user_create->add_flag("--password-stdin", args_.password_stdin,
                        "Read the user's console password from the first line of stdin");
  user_create->callback([this] { action_ = Action::kUserCreate; });
  auto* user_password = user->add_subcommand(
      "password", "Set a user's console password, read from the first line of stdin");
  user_password->add_option("corp", args_.corp_id, "Organization of the user (corpId)")->required();
  user_password->add_option("union_id", args_.union_id, "The user's unionId")->required();
  user_password->add_flag("--clear", args_.clear_password,
                          "Remove the password (the user can no longer log in with one)");
  user_password->callback([this] { action_ = Action::kUserPassword; });
  auto* user_list = user->add_subcommand("list", "List users");
  user_list->add_option("--corp-id", args_.corp_id, "Only this organization's users");
  user_list->callback([this] { action_ = Action::kUserList; });
  auto* user_remove = user->add_subcommand(
      "remove", "Remove a user from its organization, with its department memberships and grants");
  user_remove->add_option("--corp-id,--corp", args_.corp_id, "Organization of the user")
      ->required();
  user_remove->add_option("--union-id,--user", args_.union_id, "The user's unionId")->required();
  user_remove->callback([this] { action_ = Action::kUserRemove; });

  AddDepartmentCommands(admin);
}

// Each takes the org as --corp-id (or --corp) and the department as --dept-id (or --id).
void AdminCommands::AddDepartmentCommands(CLI::App& admin) {
  auto* dept = admin.add_subcommand("dept", "Manage departments (the members of DEPT grants)")
                   ->require_subcommand(1);
  // Adds a command of `dept` taking the org, and the department unless `with_dept` is false.
  auto command = [&](const char* name, const char* help, Action action, bool with_dept = true) {
    auto* sub = dept->add_subcommand(name, help);
    sub->add_option("--corp-id,--corp", args_.corp_id, "Organization (corpId)")->required();
    if (with_dept) sub->add_option("--dept-id,--id", args_.dept_id, "Department id")->required();
    sub->callback([this, action] { action_ = action; });
    return sub;
  };
  command("create", "Create a department", Action::kDeptCreate)
      ->add_option("--name", args_.name, "Display name (default: the id)");
  command("list", "List an organization's departments", Action::kDeptList, false);
  command("add-member", "Put a user in a department", Action::kDeptAddMember)
      ->add_option("--union-id,--user", args_.union_id, "The user's unionId")
      ->required();
  command("remove-member", "Take a user out of a department", Action::kDeptRemoveMember)
      ->add_option("--union-id,--user", args_.union_id, "The user's unionId")
      ->required();
  command("members", "List the unionIds in a department", Action::kDeptMembers);
}

int AdminCommands::Fail(const Error& e) {
  std::cerr << "spacestore admin: " << ErrcName(e.code) << ": " << e.message << "\n";
  return 1;
}

int AdminCommands::Run(domain::MetadataStore& store) {
  if (action_ == Action::kNone) return 2;
  SystemClock clock;
  domain::IdentityService identity(store, clock, {});
  auto out =
      action_ >= Action::kUserRemove ? RunMembership(identity) : RunIdentity(store, identity);
  if (!out) return Fail(out.error());
  std::cout << json::serialize(*out) << std::endl;
  return 0;
}

Result<json::value> AdminCommands::RunIdentity(domain::MetadataStore& store,
                                               domain::IdentityService& identity) const {
  switch (action_) {
    case Action::kOrgCreate: {
      auto org = identity.CreateOrg(
          args_.corp_id, args_.name.empty() ? args_.corp_id : args_.name,
          args_.capacity_bytes > 0 ? std::optional<int64_t>(args_.capacity_bytes) : std::nullopt);
      if (!org) return org.error();
      return OrgJson(*org);
    }
    case Action::kOrgList: {
      auto orgs = store.ListOrgs();
      if (!orgs) return orgs.error();
      return ListJson(*orgs, OrgJson);
    }
    case Action::kAppCreate: {
      auto app = identity.CreateApp(domain::NewApp{
          args_.corp_id, args_.name, SplitCommas(args_.scopes), args_.app_key, args_.app_secret,
          args_.quota_bytes > 0 ? std::optional<int64_t>(args_.quota_bytes) : std::nullopt});
      if (!app) return app.error();
      json::object o = AppJson(app->app);
      o["appSecret"] = app->app_secret;
      return o;
    }
    case Action::kAppList: {
      auto apps = store.ListApps(args_.corp_id);
      if (!apps) return apps.error();
      return ListJson(*apps, AppJson);
    }
    case Action::kUserCreate: {
      std::string password;
      if (args_.password_stdin) {
        auto read = ReadPassword();
        if (!read) return read.error();
        password = std::move(*read);
      }
      auto user = identity.CreateUser(args_.corp_id, args_.union_id,
                                      args_.name.empty() ? "user" : args_.name, password);
      if (!user) return user.error();
      json::object o = UserJson(*user);
      o["hasPassword"] = !password.empty();
      return o;
    }
    case Action::kUserPassword: {
      std::string password;
      if (!args_.clear_password) {
        auto read = ReadPassword();
        if (!read) return read.error();
        password = std::move(*read);
      }
      if (auto r = identity.SetUserPassword(args_.corp_id, args_.union_id, password); !r) {
        return r.error();
      }
      return json::object{{"corpId", args_.corp_id},
                          {"unionId", args_.union_id},
                          {"hasPassword", !password.empty()}};
    }
    case Action::kUserList: {
      auto users = store.ListUsers(args_.corp_id);
      if (!users) return users.error();
      return ListJson(*users, UserJson);
    }
    default:
      return MakeError(Errc::kInternal, "action", "not an identity command");
  }
}

Result<json::value> AdminCommands::RunMembership(domain::IdentityService& identity) const {
  // What add-member, remove-member and user remove print: the ids and whether it changed.
  auto changed = [&](const char* verb, const Result<bool>& r) -> Result<json::value> {
    if (!r) return r.error();
    json::object o{{"corpId", args_.corp_id}};
    if (!args_.dept_id.empty()) o["deptId"] = args_.dept_id;
    o["unionId"] = args_.union_id;
    o[verb] = *r;
    return o;
  };
  switch (action_) {
    case Action::kUserRemove: {
      auto removed = identity.RemoveUser(args_.corp_id, args_.union_id);
      if (!removed) return removed.error();
      return changed("removed", true);
    }
    case Action::kDeptCreate: {
      auto dept = identity.CreateDepartment(args_.corp_id, args_.dept_id, args_.name);
      if (!dept) return dept.error();
      return DepartmentJson(*dept);
    }
    case Action::kDeptList: {
      auto depts = identity.ListDepartments(args_.corp_id);
      if (!depts) return depts.error();
      return ListJson(*depts, DepartmentJson);
    }
    case Action::kDeptAddMember:
      return changed("added",
                     identity.AddDepartmentMember(args_.corp_id, args_.dept_id, args_.union_id));
    case Action::kDeptRemoveMember:
      return changed("removed",
                     identity.RemoveDepartmentMember(args_.corp_id, args_.dept_id, args_.union_id));
    case Action::kDeptMembers: {
      auto members = identity.ListDepartmentMembers(args_.corp_id, args_.dept_id);
      if (!members) return members.error();
      return ListJson(*members, [](const std::string& u) { return json::value(u); });
    }
    default:
      return MakeError(Errc::kInternal, "action", "not a membership command");
  }
}

}  // namespace spacestore::tools
