#pragma once

#include "base/result.h"
#include "domain/event.h"
#include "domain/identity.h"

namespace spacestore::domain {

// EventPusher is the port through which EventDispatcher hands one event to one app's receiver:
// the adapter renders the event as the log endpoint does, signs it with the app's event secret
// and POSTs it to the app's event URL (docs/events.md, "Push delivery" and "Signatures"). The
// domain decides what to send, when and how often; the adapter only sends.
//
// Thread-safety: implementations must be thread-safe; the dispatcher pushes to several apps at
// once (never two events of one app at once).
class EventPusher {
 public:
  virtual ~EventPusher() = default;

  // Sends `event` to `app.event_url`; `attempt` counts from 1 (sent as a header). Succeeds only
  // on a 2xx answer. kUnavailable with a short reason ("HTTP 503", "connection refused", a
  // timeout) for anything else, kInvalidArgument for a URL that cannot be sent to.
  virtual Result<void> Push(const App& app, const Event& event, int attempt) = 0;
};

}  // namespace spacestore::domain
