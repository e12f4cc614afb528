#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/space_service.h"

namespace spacestore::domain {

// The most properties one UpdateDentryAppProperties or DeleteDentryAppProperties call names.
inline constexpr size_t kMaxAppPropertiesPerCall = 3;

// AppPropertyService changes the app properties of a file or folder for the calling app
// (the token's app): UpdateDentryAppProperties and DeleteDentryAppProperties. An app only ever
// writes and removes its own properties; names are unique per app, so two apps using the same
// name never touch each other's. Each call is one metadata transaction (read the dentry,
// change its properties, write it), which moves the space's dentry generation, so cached reads
// see the change at once. The dentry's modifier and modified time stay as they are: properties
// are the app's annotations, not a change of the file. Which properties a reader sees is
// VisibleProperties' rule (dentry_service.h).
//
// Errors shared by all methods: those of SpaceService::GetWritableSpace; kNotFound (subject
// "dentry") for a missing, deleted or foreign dentry.
// Thread-safety: thread-safe (no state of its own). Borrows the store, clock and space service.
class AppPropertyService {
 public:
  AppPropertyService(MetadataStore& store, const Clock& clock, SpaceService& spaces);

  // Upserts `properties` (1..3, names unique in the call) as the actor's app's: a name the app
  // already has gets the new value and visibility, a new name is added. The properties' app_id
  // is ignored. kInvalidArgument ("appProperties") for an empty or too long list, a blank name,
  // an empty value, or when the app would hold more than kMaxPropertiesPerApp on the dentry.
  Result<void> Update(const Actor& actor, std::string_view space_id, std::string_view dentry_id,
                      std::vector<AppProperty> properties);

  // Removes the actor's app's properties named in `names` (1..3, none blank); names it does not
  // have are skipped. kInvalidArgument ("propertyNames").
  Result<void> Remove(const Actor& actor, std::string_view space_id, std::string_view dentry_id,
                      const std::vector<std::string>& names);

 private:
  // Runs `change` on the live dentry inside one transaction and writes it back if it says so.
  // A change that wrote appends a dentry.propertiesChanged event with `action`.
  template <class Change>
  Result<void> Modify(const Actor& actor, std::string_view space_id, std::string_view dentry_id,
                      std::string_view action, Change change);

  MetadataStore& store_;
  const Clock& clock_;
  SpaceService& spaces_;
};

// Upserts `incoming` (which passed CheckAppProperties) into `stored`: a property with the app
// and name of one already stored replaces it, any other is added; every other app's properties
// stay as they are, and are not checked. kInvalidArgument (subject "appProperties") when an app
// of `incoming` would hold more than kMaxPropertiesPerApp; `stored` is then unspecified.
Result<void> UpsertAppProperties(std::vector<AppProperty>& stored,
                                 std::vector<AppProperty> incoming);

}  // namespace spacestore::domain
