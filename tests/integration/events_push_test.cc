// Push delivery of events against the real binary (docs/events.md, "Push delivery",
// "Signatures", "Retries and dead letters"): a local receiver (event_receiver.h) gets a
// scripted sequence of changes in order with valid signatures; a failing receiver sees the
// retries, then the event is dead-lettered and still read from the log; a SIGKILL between a
// change's answer and its delivery loses nothing. Waits have generous deadlines; nothing is
// timed but lower bounds the dispatcher guarantees (a retry never comes before its backoff).
#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "base/crypto.h"
#include "event_receiver.h"
#include "test_client.h"

namespace spacestore::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

// Flags that make retries quick: 3 attempts, 200 ms then 400 ms apart; other nodes' events
// looked for every 200 ms.
const std::vector<std::string> kFastRetries = {
    "--event-max-attempts", "3", "--event-backoff-ms", "200", "--event-poll-ms", "200"};

std::string Id(const json::object& o) { return std::string(o.at("dentry").at("id").as_string()); }

// The bootstrap app's id.
std::string AppId(const ServerProcess& server) {
  const auto apps = json::parse(server.Admin({"app", "list", "--corp-id", ServerProcess::kCorpId}));
  for (const auto& a : apps.as_array()) {
    if (a.at("appKey").as_string() == ServerProcess::kAppKey) {
      return std::string(a.at("appId").as_string());
    }
  }
  return "";
}

// Points the bootstrap app at `url`; returns the secret the command printed.
std::string SetEventUrl(const ServerProcess& server, const std::string& url) {
  const auto set = json::parse(server.Admin({"app", "set", AppId(server), "--event-url", url}));
  EXPECT_EQ(set.at("eventUrl").as_string(), url);
  return std::string(set.at("eventSecret").as_string());
}

void SubscribeOrg(const Client& client) {
  const auto r =
      client.Call("POST", "/v1.0/storage/events/subscribe?unionId=union1",
                  R"({"scope":"ORG","scopeId":")" + std::string(ServerProcess::kCorpId) + R"("})");
  EXPECT_TRUE(r.at("success").as_bool());
}

json::object Body(const ReceivedRequest& r) { return json::parse(r.body).as_object(); }

// The event ids in the order first received (answered 2xx when `delivered_only`).
std::vector<std::string> EventIds(const std::vector<ReceivedRequest>& requests,
                                  bool delivered_only = false) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& r : requests) {
    if (delivered_only && r.status != 200) continue;
    const std::string id = r.headers.at("x-spacestore-event-id");
    if (seen.insert(id).second) ids.push_back(id);
  }
  return ids;
}

// Every request carries the documented headers and a signature a receiver can check.
void ExpectSigned(const ReceivedRequest& r, const std::string& secret) {
  ASSERT_EQ(r.method, "POST");
  EXPECT_EQ(r.target, "/hook");
  EXPECT_EQ(r.headers.at("content-type"), "application/json");
  const std::string timestamp = r.headers.at("x-spacestore-timestamp");
  const std::string expected = "v1=" + HexEncode(HmacSha256(secret, timestamp + "." + r.body));
  EXPECT_EQ(r.headers.at("x-spacestore-signature"), expected);
  // A signature under another secret, or over another body, is not the one sent.
  EXPECT_NE(r.headers.at("x-spacestore-signature"),
            "v1=" + HexEncode(HmacSha256(secret + "x", timestamp + "." + r.body)));
  const auto body = Body(r);
  EXPECT_EQ(body.at("eventId").as_string(), r.headers.at("x-spacestore-event-id"));
  EXPECT_EQ(body.at("type").as_string(), r.headers.at("x-spacestore-event-type"));
}

TEST(EventsPushTest, ScriptedChangesArriveInOrderSigned) {
  EventReceiver receiver;
  ServerProcess server(kFastRetries);
  Client client(server);
  const std::string space = client.AddSpace();
  const std::string other = client.AddSpace();
  // The push starts at the log's head when the URL is set: the spaces made before are not sent.
  const std::string secret = SetEventUrl(server, receiver.url());
  ASSERT_EQ(secret.size(), 64u);
  SubscribeOrg(client);

  const std::string base = "/v1.0/storage/spaces/" + space + "/dentries/";
  const std::string folder =
      Id(client.Call("POST", base + "0/folders?unionId=union1", R"({"name":"docs"})"));
  const std::string file(client.PutFile(space, "a.txt", "hello").at("id").as_string());
  client.Call("POST", base + file + "/rename?unionId=union1", R"({"newName":"b.txt"})");
  client.Call("POST", base + file + "/move?unionId=union1",
              R"({"targetSpaceId":")" + space + R"(","targetFolderId":")" + folder + R"("})");
  client.Call("POST", base + file + "/copy?unionId=union1",
              R"({"targetSpaceId":")" + other + R"(","targetFolderId":"0"})");
  client.Call("DELETE", base + file + "?unionId=union1&toRecycleBin=true");
  const auto bin = client.Call(
      "GET", "/v1.0/storage/recycleBins?unionId=union1&recycleBinScope=SPACE&scopeId=" + space);
  const std::string bin_id(bin.at("recycleBin").at("id").as_string());
  const auto items =
      client.Call("GET", "/v1.0/storage/recycleBins/" + bin_id + "/recycleItems?unionId=union1");
  const std::string item(items.at("recycleItems").at(0).at("id").as_string());
  client.Call(
      "POST",
      "/v1.0/storage/recycleBins/" + bin_id + "/recycleItems/" + item + "/restore?unionId=union1",
      "{}");
  server.Admin({"user", "create", "--corp-id", ServerProcess::kCorpId, "--union-id", "u2"});
  client.Call("POST", base + folder + "/permissions?unionId=union1",
              R"({"roleId":"READER","members":[{"type":"USER","id":"u2"}]})");

  const std::vector<std::string> expected = {"dentry.created",  "dentry.created",  "dentry.renamed",
                                             "dentry.moved",    "dentry.copied",   "dentry.deleted",
                                             "dentry.restored", "permission.added"};
  ASSERT_TRUE(receiver.WaitFor([&](const auto& requests) {
    return EventIds(requests, true).size() >= expected.size();
  })) << "received "
      << receiver.requests().size() << " requests";
  const auto requests = receiver.requests();
  std::vector<std::string> types;
  std::set<std::string> seen;
  int64_t last_seq = 0;
  for (const auto& r : requests) {
    ExpectSigned(r, secret);
    const auto body = Body(r);
    if (!seen.insert(std::string(body.at("eventId").as_string())).second) continue;
    types.emplace_back(body.at("type").as_string());
    // In seq order: each new event after the one before.
    const int64_t seq = std::stoll(r.headers.at("x-spacestore-event-seq"));
    EXPECT_GT(seq, last_seq);
    last_seq = seq;
  }
  EXPECT_EQ(types, expected);
  // The dentries named are the ones changed.
  EXPECT_EQ(Body(requests.front()).at("dentryId").as_string(), folder);
}

TEST(EventsPushTest, FailuresAreRetriedThenDeadLetteredAndReadFromTheLog) {
  EventReceiver receiver;
  receiver.set_status(503);
  ServerProcess server(kFastRetries);
  Client client(server);
  const std::string space = client.AddSpace();
  const std::string secret = SetEventUrl(server, receiver.url());
  SubscribeOrg(client);
  const std::string folder =
      Id(client.Call("POST", "/v1.0/storage/spaces/" + space + "/dentries/0/folders?unionId=union1",
                     R"({"name":"lost"})"));

  ASSERT_TRUE(receiver.WaitFor([](const auto& requests) { return requests.size() >= 3; }));
  // Dead-lettered after the third failure (the command shows it once the cursor moved).
  const std::string app = AppId(server);
  json::array letters;
  for (int i = 0; i < 600 && letters.empty(); ++i) {
    letters = json::parse(server.Admin({"app", "dead-letters", app})).as_array();
    if (letters.empty()) std::this_thread::sleep_for(milliseconds(100));
  }
  ASSERT_EQ(letters.size(), 1u);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u) << "no fourth attempt of a dead-lettered event";
  const std::string event_id = requests[0].headers.at("x-spacestore-event-id");
  for (size_t i = 0; i < requests.size(); ++i) {
    ExpectSigned(requests[i], secret);
    EXPECT_EQ(requests[i].headers.at("x-spacestore-event-id"), event_id);
    EXPECT_EQ(requests[i].headers.at("x-spacestore-delivery-attempt"), std::to_string(i + 1));
    EXPECT_EQ(requests[i].body, requests[0].body) << "a retry sends the same body";
  }
  // Growing gaps: never before the backoff (200 ms, then 400 ms).
  EXPECT_GE(requests[1].at - requests[0].at, milliseconds(200));
  EXPECT_GE(requests[2].at - requests[1].at, milliseconds(400));
  const auto& letter = letters[0].as_object();
  EXPECT_EQ(letter.at("eventId").as_string(), event_id);
  EXPECT_EQ(letter.at("type").as_string(), "dentry.created");
  EXPECT_EQ(letter.at("dentryId").as_string(), folder);
  EXPECT_EQ(letter.at("attempts").as_int64(), 3);
  EXPECT_EQ(letter.at("lastError").as_string(), "HTTP 503");

  // The log still has it, with the same body as pushed.
  const auto log = client.Call("GET", "/v1.0/storage/events?unionId=union1");
  bool in_log = false;
  for (const auto& e : log.at("events").as_array()) {
    if (e.at("eventId").as_string() == event_id) {
      in_log = true;
      EXPECT_EQ(e, json::parse(requests[0].body));
    }
  }
  EXPECT_TRUE(in_log) << json::serialize(log);

  // Delivery went on: the next change reaches a receiver that is back, the dead one does not.
  receiver.set_status(200);
  client.Call("POST", "/v1.0/storage/spaces/" + space + "/dentries/0/folders?unionId=union1",
              R"({"name":"next"})");
  ASSERT_TRUE(receiver.WaitFor([](const auto& got) { return !EventIds(got, true).empty(); }));
  const auto after = receiver.requests();
  EXPECT_NE(EventIds(after, true).front(), event_id);
  EXPECT_EQ(Body(after.back()).at("type").as_string(), "dentry.created");
}

TEST(EventsPushTest, SigkillBeforeDeliveryLosesNothing) {
  EventReceiver receiver;
  receiver.set_status(503);  // Nothing is delivered before the kill.
  TempDir dir;               // Outlives both servers: the restart runs on the killed one's data.
  const std::string data_dir = dir.File("data");
  std::vector<std::string> made;  // The folders whose events must arrive.
  std::string secret;
  {
    ServerProcess server({"--event-max-attempts", "1000", "--event-backoff-ms", "50",
                          "--event-backoff-cap-ms", "200"},
                         data_dir);
    Client client(server);
    const std::string space = client.AddSpace();
    secret = SetEventUrl(server, receiver.url());
    SubscribeOrg(client);
    for (int i = 0; i < 5; ++i) {
      made.push_back(Id(client.Call(
          "POST", "/v1.0/storage/spaces/" + space + "/dentries/0/folders?unionId=union1",
          R"({"name":"f)" + std::to_string(i) + R"("})")));
    }
    server.Kill();  // Right after the answers: each change is committed, none delivered.
  }
  const size_t before = receiver.requests().size();
  for (const auto& r : receiver.requests()) EXPECT_NE(r.status, 200);
  receiver.set_status(200);
  ServerProcess restarted({}, data_dir);
  ASSERT_TRUE(receiver.WaitFor([&](const auto& requests) {
    return EventIds(requests, true).size() >= made.size();
  })) << "after "
      << before << " refused attempts";
  std::vector<std::string> dentries;
  std::set<std::string> seen;
  for (const auto& r : receiver.requests()) {
    if (r.status != 200) continue;
    ExpectSigned(r, secret);
    const auto body = Body(r);
    // At least once: a repeat carries the same event id, which the receiver dedupes by.
    if (seen.insert(std::string(body.at("eventId").as_string())).second) {
      dentries.emplace_back(body.at("dentryId").as_string());
    }
  }
  EXPECT_EQ(dentries, made);
}

}  // namespace
}  // namespace spacestore::testing
