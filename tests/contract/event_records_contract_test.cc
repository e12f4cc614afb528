// The event aggregate (the per-org log, subscriptions, delivery cursors, dead letters) on every
// backend: seq order is append order per org, filters by scope, rollback takes an append back.
#include "metadata_contract.h"

namespace spacestore::contract {
namespace {

using domain::DeadLetter;
using domain::Event;
using domain::EventDelivery;
using domain::EventFilter;
using domain::EventScope;
using domain::Subscription;

Event MakeEvent(const std::string& corp, const std::string& id, const std::string& space) {
  Event e;
  e.corp_id = corp;
  e.event_id = id;
  e.type = std::string(domain::kEventDentryCreated);
  e.space_id = space;
  e.dentry_id = "d-" + id;
  e.operator_id = "u1";
  e.time = 1234;
  e.body = {{"name", std::string("a \"b\" 3:x")},
            {"size", int64_t{-42}},
            {"empty", std::string()},
            {"folder", true},
            {"readOnly", false}};
  return e;
}

// Orgs corp1 and corp2, apps app1 (corp1), app2 (corp1) and app3 (corp2).
template <class Factory>
class EventContract : public MetadataStoreContract<Factory> {
 protected:
  void SetUp() override {
    MetadataStoreContract<Factory>::SetUp();
    ASSERT_TRUE(this->store_->CreateOrg(Org{"corp2", "Corp Two", 1 << 30, 1000}));
    ASSERT_TRUE(
        this->store_->CreateApp(App{"app1", "key1", "h", "corp1", "One", {}, {}, 1, 1, {}, {}}));
    ASSERT_TRUE(
        this->store_->CreateApp(App{"app2", "key2", "h", "corp1", "Two", {}, {}, 1, 1, {}, {}}));
    ASSERT_TRUE(
        this->store_->CreateApp(App{"app3", "key3", "h", "corp2", "Three", {}, {}, 1, 1, {}, {}}));
  }

  template <class F>
  auto Tx(F&& fn) {
    return this->store_->Write([&](domain::MetadataTransaction& tx) { return fn(tx.events()); });
  }
  Result<int64_t> Append(const Event& e) {
    return Tx([&](domain::EventRecords& ev) { return ev.Append(e); });
  }
  std::vector<Event> List(const std::string& corp, int64_t after, const EventFilter& filter,
                          int limit = 100) {
    auto events = Tx([&](domain::EventRecords& ev) { return ev.List(corp, after, filter, limit); });
    EXPECT_TRUE(events);
    return events ? *events : std::vector<Event>{};
  }
  static std::vector<int64_t> Seqs(const std::vector<Event>& events) {
    std::vector<int64_t> out;
    for (const auto& e : events) out.push_back(e.seq);
    return out;
  }
};
TYPED_TEST_SUITE(EventContract, Backends);

using Seqs = std::vector<int64_t>;

TYPED_TEST(EventContract, AppendNumbersEachOrgFromOneAndRoundTrips) {
  EXPECT_EQ(this->Tx([](domain::EventRecords& ev) { return ev.LastSeq("corp1"); }).value(), 0);
  EXPECT_EQ(this->Append(MakeEvent("corp1", "e1", "100")).value(), 1);
  EXPECT_EQ(this->Append(MakeEvent("corp2", "e2", "200")).value(), 1);
  EXPECT_EQ(this->Append(MakeEvent("corp1", "e3", "101")).value(), 2);
  EXPECT_EQ(this->Tx([](domain::EventRecords& ev) { return ev.LastSeq("corp1"); }).value(), 2);

  const auto all = this->List("corp1", 0, EventFilter{true, {}});
  ASSERT_EQ(all.size(), 2u);
  Event want = MakeEvent("corp1", "e1", "100");
  want.seq = 1;
  EXPECT_EQ(all[0], want);  // Every field, the body's types and order included.
  EXPECT_EQ(all[1].event_id, "e3");
  auto got = this->Tx([](domain::EventRecords& ev) { return ev.Get("corp1", 1); });
  ASSERT_TRUE(got);
  EXPECT_EQ(*got, want);
  auto missing = this->Tx([](domain::EventRecords& ev) { return ev.Get("corp1", 3); });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_EQ(missing.error().subject, "event");
}

TYPED_TEST(EventContract, AppendToAMissingOrgOrWithATakenIdFails) {
  auto r = this->Append(MakeEvent("nope", "e1", "100"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kNotFound);
  EXPECT_EQ(r.error().subject, "org");
  ASSERT_TRUE(this->Append(MakeEvent("corp1", "e1", "100")));
  r = this->Append(MakeEvent("corp2", "e1", "200"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::kAlreadyExists);
  EXPECT_EQ(r.error().subject, "event");
  // The failed append took no seq.
  EXPECT_EQ(this->Append(MakeEvent("corp2", "e2", "200")).value(), 1);
}

TYPED_TEST(EventContract, ARolledBackAppendLeavesNoEventAndNoSeq) {
  auto r = this->store_->Transact([](domain::MetadataTransaction& tx) -> Result<void> {
    if (auto seq = tx.events().Append(MakeEvent("corp1", "e1", "100")); !seq) return seq.error();
    return MakeError(Errc::kConflict, "test", "roll back");
  });
  ASSERT_FALSE(r);
  EXPECT_TRUE(this->List("corp1", 0, EventFilter{true, {}}).empty());
  EXPECT_EQ(this->Tx([](domain::EventRecords& ev) { return ev.LastSeq("corp1"); }).value(), 0);
  EXPECT_EQ(this->Append(MakeEvent("corp1", "e1", "100")).value(), 1);  // Its id is free again.
}

TYPED_TEST(EventContract, ListFiltersBySpacesAfterASeqWithALimit) {
  const char* spaces[] = {"100", "101", "102", "100", "101", "100"};
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(this->Append(MakeEvent("corp1", "e" + std::to_string(i), spaces[i])));
  }
  ASSERT_TRUE(this->Append(MakeEvent("corp2", "x", "100")));  // Another org's log.
  EXPECT_EQ(this->Seqs(this->List("corp1", 0, EventFilter{true, {}})), (Seqs{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(this->Seqs(this->List("corp1", 2, EventFilter{true, {}}, 3)), (Seqs{3, 4, 5}));
  EXPECT_EQ(this->Seqs(this->List("corp1", 0, EventFilter{false, {"100"}})), (Seqs{1, 4, 6}));
  EXPECT_EQ(this->Seqs(this->List("corp1", 0, EventFilter{false, {"101", "100"}})),
            (Seqs{1, 2, 4, 5, 6}));
  EXPECT_EQ(this->Seqs(this->List("corp1", 1, EventFilter{false, {"101", "100"}}, 3)),
            (Seqs{2, 4, 5}));
  EXPECT_EQ(this->Seqs(this->List("corp1", 0, EventFilter{false, {"100", "100"}})),
            (Seqs{1, 4, 6}));
  EXPECT_EQ(this->Seqs(this->List("corp1", 0, EventFilter{false, {"999"}})), Seqs{});
  EXPECT_EQ(this->Seqs(this->List("corp1", 0, EventFilter{})), Seqs{});
  EXPECT_EQ(this->Seqs(this->List("corp1", 6, EventFilter{true, {}})), Seqs{});
}

TYPED_TEST(EventContract, SubscriptionsAreIdempotentPerAppAndScope) {
  auto put = [&](const Subscription& s) {
    return this->Tx([&](domain::EventRecords& ev) { return ev.PutSubscription(s); });
  };
  const Subscription org{"app1", EventScope::kOrg, "corp1", "corp1", 10};
  const Subscription space{"app1", EventScope::kSpace, "100", "corp1", 11};
  EXPECT_TRUE(put(org).value());
  EXPECT_TRUE(put(space).value());
  Subscription again = org;
  again.create_time = 99;
  EXPECT_FALSE(put(again).value());
  EXPECT_TRUE(put(Subscription{"app3", EventScope::kSpace, "200", "corp2", 12}).value());
  EXPECT_TRUE(put(Subscription{"app2", EventScope::kSpace, "corp1", "corp1", 12}).value());
  auto missing = put(Subscription{"nope", EventScope::kOrg, "corp1", "corp1", 1});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_EQ(missing.error().subject, "app");

  auto list = this->Tx([](domain::EventRecords& ev) { return ev.ListSubscriptions("app1"); });
  ASSERT_TRUE(list);
  EXPECT_EQ(*list, (std::vector<Subscription>{org, space}));  // The first create_time kept.
  auto apps = this->Tx([](domain::EventRecords& ev) { return ev.ListSubscribedApps("corp1"); });
  EXPECT_EQ(apps.value(), (std::vector<std::string>{"app1", "app2"}));

  auto remove = [&] {
    return this->Tx([](domain::EventRecords& ev) {
      return ev.RemoveSubscription("app1", EventScope::kOrg, "corp1");
    });
  };
  EXPECT_TRUE(remove().value());
  EXPECT_FALSE(remove().value());
  list = this->Tx([](domain::EventRecords& ev) { return ev.ListSubscriptions("app1"); });
  EXPECT_EQ(list.value(), (std::vector<Subscription>{space}));
  EXPECT_EQ(EventFilter::Of(*list).space_ids, (std::vector<std::string>{"100"}));
}

TYPED_TEST(EventContract, DeliveryCursorAndDeadLetters) {
  auto get = [&] {
    return this->Tx([](domain::EventRecords& ev) { return ev.GetDelivery("app1"); });
  };
  EXPECT_EQ(get().value(), std::nullopt);
  const EventDelivery first{"app1", 3, 1, 500, "503 from receiver"};
  ASSERT_TRUE(this->Tx([&](domain::EventRecords& ev) { return ev.PutDelivery(first); }));
  EXPECT_EQ(get().value(), first);
  const EventDelivery next{"app1", 4, 0, 0, ""};
  ASSERT_TRUE(this->Tx([&](domain::EventRecords& ev) { return ev.PutDelivery(next); }));
  EXPECT_EQ(get().value(), next);
  auto bad = this->Tx([](domain::EventRecords& ev) {
    return ev.PutDelivery(EventDelivery{"nope", 1, 0, 0, ""});
  });
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().subject, "app");

  const DeadLetter d5{"app1", 5, "corp1", 8, "timeout", 900};
  const DeadLetter d2{"app1", 2, "corp1", 8, "refused", 800};
  const DeadLetter other{"app2", 3, "corp1", 8, "x", 1};
  for (const auto& d : {d5, d2, other}) {
    ASSERT_TRUE(this->Tx([&](domain::EventRecords& ev) { return ev.PutDeadLetter(d); }));
  }
  DeadLetter d5again = d5;
  d5again.attempts = 9;
  ASSERT_TRUE(this->Tx([&](domain::EventRecords& ev) { return ev.PutDeadLetter(d5again); }));
  auto letters =
      this->Tx([](domain::EventRecords& ev) { return ev.ListDeadLetters("app1", 0, 10); });
  EXPECT_EQ(letters.value(), (std::vector<DeadLetter>{d2, d5again}));
  letters = this->Tx([](domain::EventRecords& ev) { return ev.ListDeadLetters("app1", 2, 10); });
  EXPECT_EQ(letters.value(), (std::vector<DeadLetter>{d5again}));
  letters = this->Tx([](domain::EventRecords& ev) { return ev.ListDeadLetters("app1", 0, 1); });
  EXPECT_EQ(letters.value(), (std::vector<DeadLetter>{d2}));
}

}  // namespace
}  // namespace spacestore::contract
