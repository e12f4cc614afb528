#pragma once

#include <string>

namespace CLI {
class App;
}

namespace spacestore::tools {

// `spacestore admin ...`: create and list orgs, apps and users directly in a data directory,
// whether or not a server is running on it (SQLite serializes the writers). Each command prints
// one JSON value on stdout.
//
// Registers the subcommands on `admin` and returns the function that runs the chosen one after
// parsing; it returns the process exit code. `data_dir` is read at run time.
class AdminCommands {
 public:
  AdminCommands(CLI::App& admin, const std::string& data_dir);
  // Runs the parsed subcommand; returns the exit code (0 ok, 1 failure).
  int Run();

 private:
  struct Args {
    std::string corp_id, name, app_key, app_secret, union_id, scopes;
    long long capacity_bytes = 0;
    long long quota_bytes = 0;
  };
  enum class Action { kNone, kOrgCreate, kOrgList, kAppCreate, kAppList, kUserCreate, kUserList };

  const std::string& data_dir_;
  Args args_;
  Action action_ = Action::kNone;
};

}  // namespace spacestore::tools
