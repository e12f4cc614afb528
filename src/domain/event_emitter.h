#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.h"
#include "domain/dentry.h"
#include "domain/event.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/permission.h"
#include "domain/space.h"

namespace spacestore::domain {

// The event log's writers: each domain service calls EmitEvent inside the metadata transaction
// that makes a change, so the event commits with the change or not at all (a failed or rolled
// back change leaves no event). The body builders below are the one place each kind of
// record's fields are named (docs/events.md lists them per type).
// Thread-safety: free functions; the transaction is confined to its thread.

// Appends an event of `type` for a change the actor made at `time` in `space_id` (to
// `dentry_id`, "" for the space itself), with a fresh event id. The store's errors.
Result<void> EmitEvent(MetadataTransaction& tx, const Actor& actor, int64_t time,
                       std::string_view type, std::string_view space_id, std::string_view dentry_id,
                       EventBody body);

// A dentry as it is after the change: name, type ("FILE" / "FOLDER"), parentId, and for a file
// size and version.
EventBody DentryEventBody(const Dentry& dentry);
// A space's settings after the change: name, ownerType, ownerId, scene, sceneId, quota (only
// when capped), disabled.
EventBody SpaceEventBody(const Space& space);
// A grant: memberType, memberId, role, expireTime (ISO-8601, only for a temporary grant).
EventBody GrantEventBody(const Grant& grant);

// `body` with `name` = `value` appended.
EventBody With(EventBody body, std::string name, EventField::Value value);

}  // namespace spacestore::domain
