#pragma once

#include <string>

#include "domain/event.h"
#include "server/json_writer.h"

namespace spacestore::api::dingtalk_v1 {

// The one JSON form of an event (docs/events.md): what GET /v1.0/storage/events lists and
// what push delivery POSTs, byte for byte the same. Members in this order: eventId, seq,
// type, corpId, spaceId, dentryId (absent for a space's own events), operatorId, time
// (ISO-8601 UTC with milliseconds), data (the body's fields in their order: strings, numbers,
// booleans).
// Thread-safety: free functions over their arguments.

// Writes `event` as one JSON object (the next value of `w`).
void WriteEvent(server::JsonWriter& w, const domain::Event& event);

// `event` as a JSON document: the body of one push delivery.
std::string EventJson(const domain::Event& event);

}  // namespace spacestore::api::dingtalk_v1
