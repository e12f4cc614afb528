#pragma once

// The in-memory store's tables and undo log, private to the adapter.

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "domain/dentry.h"
#include "domain/event.h"
#include "domain/identity.h"
#include "domain/open_link.h"
#include "domain/permission.h"
#include "domain/recycle_item.h"
#include "domain/space.h"
#include "domain/task.h"
#include "domain/upload.h"

namespace spacestore::storage::memory {

// Every table of the store, as ordered maps. Plain data: MemoryMetadataStore's mutex guards it.
struct MemoryState {
  using UserKey = std::pair<std::string, std::string>;                // (corpId, unionId)
  using NameKey = std::tuple<std::string, std::string, std::string>;  // (space, parent, name)
  // (space, dentry, member type, member id): the order ListSpaceGrants returns.
  using GrantKey = std::tuple<std::string, std::string, domain::MemberType, std::string>;
  using DepartmentKey = std::pair<std::string, std::string>;            // (corpId, deptId)
  using MemberKey = std::tuple<std::string, std::string, std::string>;  // (corp, dept, unionId)

  std::map<std::string, domain::Org, std::less<>> orgs;
  std::map<std::string, domain::App, std::less<>> apps;  // By appId.
  std::map<UserKey, domain::User> users;
  std::map<std::string, std::string, std::less<>> settings;
  struct Lease {
    std::string holder;
    int64_t expires_at = 0;
  };
  std::map<std::string, Lease, std::less<>> leases;          // By name.
  std::map<std::string, domain::Space, std::less<>> spaces;  // By id.
  std::map<std::string, uint64_t, std::less<>> space_seq;    // Insertion order, for listings.
  uint64_t next_seq = 0;
  std::map<std::string, domain::Dentry, std::less<>> dentries;  // By id.
  std::map<NameKey, std::string> names;                         // NORMAL dentries only.
  std::map<std::pair<std::string, int64_t>, domain::DentryVersion> versions;
  std::map<std::string, domain::UploadSession, std::less<>> uploads;
  std::map<std::pair<std::string, int32_t>, domain::UploadPart> parts;
  std::map<std::string, domain::Task, std::less<>> tasks;  // By id.
  std::map<std::string, uint64_t, std::less<>> task_seq;   // Insertion order, for resuming.
  std::map<std::string, domain::RecycleItem, std::less<>> recycle_items;  // By id.
  // The recycle item owning each DELETED dentry row it holds (SQLite's recycle_item_id).
  std::map<std::string, std::string, std::less<>> recycled_by;
  std::map<GrantKey, domain::Grant> grants;
  std::map<DepartmentKey, domain::Department> departments;
  std::set<MemberKey> department_members;
  // The event log: (corpId, seq) -> event; each org's last seq (orgs.event_seq).
  std::map<std::pair<std::string, int64_t>, domain::Event> events;
  std::set<std::string, std::less<>> event_ids;
  std::map<std::string, int64_t, std::less<>> event_seq;
  // (appId, scope, scopeId): the order ListSubscriptions returns.
  using SubscriptionKey = std::tuple<std::string, domain::EventScope, std::string>;
  std::map<SubscriptionKey, domain::Subscription> subscriptions;
  std::map<std::string, domain::EventDelivery, std::less<>> deliveries;        // By appId.
  std::map<std::pair<std::string, int64_t>, domain::DeadLetter> dead_letters;  // (appId, seq).
  // (space, dentry, open type): the order ListOpenInfos returns.
  using OpenInfoKey = std::tuple<std::string, std::string, domain::OpenType>;
  std::map<OpenInfoKey, domain::OpenInfo> open_infos;
  std::map<std::string, domain::OpenToken, std::less<>> open_tokens;  // By token hash.

  // Dentry writes that keep the name index in step and move the space's dentry generation.
  void PutDentry(const domain::Dentry& d);
  void EraseDentry(const std::string& id);
};

// How to take back each write of a failed transaction, newest first.
// Thread-safety: confined to the transaction's thread.
class UndoLog {
 public:
  // Records map[key] as it is now (present with its value, or absent).
  template <class Map, class Key>
  void Remember(Map& map, const Key& key) {
    const auto it = map.find(key);
    if (it == map.end()) {
      undo_.push_back([&map, key] { map.erase(key); });
    } else {
      undo_.push_back([&map, key, old = it->second] { map.insert_or_assign(key, old); });
    }
  }
  void Add(std::function<void()> undo) { undo_.push_back(std::move(undo)); }
  void Rollback() {
    while (!undo_.empty()) {
      undo_.back()();
      undo_.pop_back();
    }
  }

 private:
  std::vector<std::function<void()>> undo_;
};

Error NotFound(const std::string& subject, std::string_view id);
Error Exists(const std::string& subject, std::string_view id);

}  // namespace spacestore::storage::memory
