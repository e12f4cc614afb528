#pragma once

#include <string>

#include "base/result.h"
#include "domain/metadata_store.h"

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's own namespace
class App;
}
namespace boost::json {
class value;
}
namespace spacestore::domain {
class IdentityService;
}

namespace spacestore::tools {

// `spacestore admin ...`: create and list orgs, apps and users, manage departments and their
// members and remove users, directly in a data directory or a shared store, whether or not a
// server is running on it (the store serializes the writers; membership changes and removals
// move the permission generations, so servers see them on their next request). Each command
// prints one JSON value on stdout; a failure prints one line on stderr and exits 1.
//
// Registers the subcommands on `admin`; after parsing, Run carries out the chosen one on the
// metadata store the composition root opened for the data directory.
class AdminCommands {
 public:
  explicit AdminCommands(CLI::App& admin);
  // Runs the parsed subcommand on `store`; returns the exit code (0 ok, 1 failure, 2 none).
  int Run(domain::MetadataStore& store);
  // Prints `e` as every admin failure is printed; returns the exit code 1.
  static int Fail(const Error& e);

 private:
  struct Args {
    std::string corp_id, name, app_key, app_secret, union_id, scopes, dept_id;
    long long capacity_bytes = 0;
    long long quota_bytes = 0;
    bool password_stdin = false;  // user create: read a console password from stdin.
    bool clear_password = false;  // user password: remove the password instead.
  };
  enum class Action {
    kNone,
    kOrgCreate,
    kOrgList,
    kAppCreate,
    kAppList,
    kUserCreate,
    kUserList,
    kUserPassword,
    // From here on the membership commands (RunMembership).
    kUserRemove,
    kDeptCreate,
    kDeptList,
    kDeptAddMember,
    kDeptRemoveMember,
    kDeptMembers,
  };

  void AddDepartmentCommands(CLI::App& admin);
  // The chosen command's output: org, app and user creation and lists; then departments, their
  // members and user removal (who belongs where).
  Result<boost::json::value> RunIdentity(domain::MetadataStore& store,
                                         domain::IdentityService& identity) const;
  Result<boost::json::value> RunMembership(domain::IdentityService& identity) const;

  Args args_;
  Action action_ = Action::kNone;
};

}  // namespace spacestore::tools
