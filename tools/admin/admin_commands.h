#pragma once

#include <string>

#include "base/result.h"
#include "domain/metadata_store.h"

namespace CLI {  // NOLINT(readability-identifier-naming): CLI11's own namespace
class App;
}

namespace spacestore::tools {

// `spacestore admin ...`: create and list orgs, apps and users directly in a data directory,
// whether or not a server is running on it (SQLite serializes the writers). Each command prints
// one JSON value on stdout.
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
    std::string corp_id, name, app_key, app_secret, union_id, scopes;
    long long capacity_bytes = 0;
    long long quota_bytes = 0;
  };
  enum class Action { kNone, kOrgCreate, kOrgList, kAppCreate, kAppList, kUserCreate, kUserList };

  Args args_;
  Action action_ = Action::kNone;
};

}  // namespace spacestore::tools
