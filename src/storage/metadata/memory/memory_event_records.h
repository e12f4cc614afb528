#pragma once

#include "domain/event_records.h"
#include "storage/metadata/memory/memory_state.h"

namespace spacestore::storage::memory {

// The event aggregate in memory: MemoryState's event log, per-org sequences, subscriptions,
// delivery cursors and dead letters, each write recorded in the transaction's undo log. The
// store's one mutex serializes appenders, so seq order is commit order here too.
// Thread-safety: used only while MemoryMetadataStore's mutex is held. Borrows the state and
// the log.
class MemoryEventRecords final : public domain::EventRecords {
 public:
  MemoryEventRecords(MemoryState& state, UndoLog& undo) : state_(state), undo_(undo) {}

  // EventRecords
  Result<int64_t> Append(const domain::Event& event) override;
  Result<int64_t> LastSeq(std::string_view corp_id) override;
  Result<std::vector<domain::Event>> List(std::string_view corp_id, int64_t after_seq,
                                          const domain::EventFilter& filter, int limit) override;
  Result<domain::Event> Get(std::string_view corp_id, int64_t seq) override;
  Result<bool> PutSubscription(const domain::Subscription& subscription) override;
  Result<bool> RemoveSubscription(std::string_view app_id, domain::EventScope scope,
                                  std::string_view scope_id) override;
  Result<std::vector<domain::Subscription>> ListSubscriptions(std::string_view app_id) override;
  Result<std::vector<std::string>> ListSubscribedApps(std::string_view corp_id) override;
  Result<std::optional<domain::EventDelivery>> GetDelivery(std::string_view app_id) override;
  Result<void> PutDelivery(const domain::EventDelivery& delivery) override;
  Result<void> PutDeadLetter(const domain::DeadLetter& letter) override;
  Result<std::vector<domain::DeadLetter>> ListDeadLetters(std::string_view app_id,
                                                          int64_t after_seq, int limit) override;

 private:
  MemoryState& state_;
  UndoLog& undo_;
};

}  // namespace spacestore::storage::memory
