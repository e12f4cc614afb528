#include "domain/identity.h"

#include <algorithm>

namespace spacestore::domain {

bool App::HasScope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

const std::vector<std::string>& AllStorageScopes() {
  static const std::vector<std::string> scopes = {
      std::string(kScopeSpaceRead), std::string(kScopeSpaceWrite), std::string(kScopeFileRead),
      std::string(kScopeFileWrite), std::string(kScopeEventWrite)};
  return scopes;
}

bool IsKnownScope(std::string_view scope) {
  const auto& all = AllStorageScopes();
  return std::find(all.begin(), all.end(), scope) != all.end();
}

}  // namespace spacestore::domain
