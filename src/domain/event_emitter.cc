// The event log's writers. Event ids are random (24 letters and digits), unique across orgs
// by the events table's key; a receiver deduplicates by them.
#include "domain/event_emitter.h"

#include "base/clock.h"
#include "base/ids.h"

namespace spacestore::domain {

Result<void> EmitEvent(MetadataTransaction& tx, const Actor& actor, int64_t time,
                       std::string_view type, std::string_view space_id, std::string_view dentry_id,
                       EventBody body) {
  Event event;
  event.corp_id = actor.corp_id;
  event.event_id = RandomAlnumId(24);
  event.type = std::string(type);
  event.space_id = std::string(space_id);
  event.dentry_id = std::string(dentry_id);
  event.operator_id = actor.acting_id();
  event.time = time;
  event.body = std::move(body);
  auto seq = tx.events().Append(event);
  if (!seq) return seq.error();
  return {};
}

EventBody DentryEventBody(const Dentry& d) {
  EventBody body{{"name", d.name},
                 {"type", std::string(d.is_folder() ? "FOLDER" : "FILE")},
                 {"parentId", d.parent_id}};
  if (!d.is_folder()) {
    body.push_back({"size", d.size});
    body.push_back({"version", d.version});
  }
  return body;
}

EventBody SpaceEventBody(const Space& s) {
  EventBody body{{"name", s.name},
                 {"ownerType", std::string(OwnerTypeName(s.owner_type))},
                 {"ownerId", s.owner_id},
                 {"scene", s.scene},
                 {"sceneId", s.scene_id}};
  if (s.quota_bytes) body.push_back({"quota", *s.quota_bytes});
  body.push_back({"disabled", s.disabled});
  return body;
}

EventBody GrantEventBody(const Grant& g) {
  EventBody body{{"memberType", std::string(MemberTypeName(g.member_type))},
                 {"memberId", g.member_id},
                 {"role", std::string(RoleName(g.role))}};
  if (g.expire_time) body.push_back({"expireTime", FormatIsoSeconds(*g.expire_time)});
  return body;
}

EventBody With(EventBody body, std::string name, EventField::Value value) {
  body.push_back({std::move(name), std::move(value)});
  return body;
}

}  // namespace spacestore::domain
