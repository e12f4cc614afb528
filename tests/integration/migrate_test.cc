// `spacestore admin migrate` on the real binary: a data directory with spaces, a folder, a file
// with two versions, a multipart file and an unfinished multipart upload, made through the API,
// is migrated to a new location twice (the second run copies nothing), and a server on the
// copy serves every byte back, the old version included; a target that another server
// bootstrapped is refused, and so is a store a server has open. Targets: a data directory, and
// PostgreSQL + S3 (a fresh schema and bucket; the servers are started once for the binary).
#include <filesystem>

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include "drive_client.h"
#include "postgres_server.h"
#include "s3_server.h"
#include "server_process.h"
#include "temp_dir.h"
#include "test_client.h"

namespace spacestore {
namespace {

namespace json = boost::json;
using testing::Client;
using testing::RandomBytes;
using testing::RunSpacestore;
using testing::ServerProcess;

struct File {
  std::string space;
  std::string id;
  std::string bytes;
};

// What the source held, to be read back from the target.
struct Made {
  std::vector<File> files;
  File versioned;                                     // Its latest content; `first` is version 1.
  std::string first;                                  // Version 1 of `versioned`.
  std::string folder;                                 // The folder's id.
  std::vector<std::pair<std::string, int64_t>> used;  // Space id, usedQuota.
};

// Fills `data_dir` through a server, then stops it.
Made MakeDeployment(const std::string& data_dir) {
  Made made;
  ServerProcess server({}, data_dir);
  Client client(server);
  testing::DriveClient drive(server);
  const std::string a = client.AddSpace();
  const std::string b = client.AddSpace();
  made.folder = drive.AddFolder(a, "0", "docs");
  auto add = [&](const std::string& space, const json::object& dentry, const std::string& bytes) {
    made.files.push_back({space, std::string(dentry.at("id").as_string()), bytes});
  };
  const std::string small = RandomBytes(1000, 1);
  add(a, client.PutFile(a, "small.bin", small), small);
  const std::string nested = RandomBytes(70000, 2);
  add(a, client.PutFile(a, "nested.bin", nested, made.folder), nested);
  add(b, client.PutFile(b, "same.bin", small), small);  // Deduplicated content.
  const std::string parts = RandomBytes(250000, 3);
  add(b, drive.PutMultipart(b, "parts.bin", parts, 102400), parts);

  made.first = RandomBytes(40000, 4);
  const std::string id(client.PutFile(a, "v.bin", made.first).at("id").as_string());
  made.versioned = {a, id, RandomBytes(30000, 5)};
  const auto info =
      client.Call("POST", "/v1.0/storage/spaces/" + a + "/files/uploadInfos/query?unionId=union1",
                  R"({"protocol":"HEADER_SIGNATURE"})");
  const auto [path, headers] = Client::Signed(info.at("headerSignatureInfo"));
  EXPECT_EQ(server.Request("PUT", path, made.versioned.bytes, headers).status, 200);
  client.Call("POST", "/v1.0/storage/spaces/" + a + "/files/commit?unionId=union1",
              json::serialize(json::object{{"uploadKey", info.at("uploadKey")},
                                           {"name", "v.bin"},
                                           {"parentId", "0"},
                                           {"overwriteDentryId", id}}));

  // An unfinished multipart upload with one part stored: its session, part and blob move too.
  const auto init = client.Call(
      "POST", "/v1.0/storage/spaces/" + b + "/files/multiPartUploadInfos/init?unionId=union1",
      R"({"option":{"preCheckParam":{"size":200000}}})");
  const auto part_infos = client.Call(
      "POST", "/v1.0/storage/spaces/files/multiPartUploadInfos/query?unionId=union1",
      json::serialize(json::object{{"uploadKey", init.at("uploadKey")}, {"partNumbers", {1}}}));
  const auto [part_path, part_headers] = Client::Signed(
      part_infos.at("multipartHeaderSignatureInfos").at(0).at("headerSignatureInfo"));
  EXPECT_EQ(server.Request("PUT", part_path, RandomBytes(102400, 6), part_headers).status, 200);

  for (const auto& space : {a, b}) made.used.emplace_back(space, client.UsedQuota(space));
  EXPECT_EQ(server.Stop(), 0);
  return made;
}

// Runs migrate; returns its JSON summary (and fails the test unless it exits 0).
json::object Migrate(const std::vector<std::string>& locations) {
  std::vector<std::string> args{"admin", "migrate"};
  args.insert(args.end(), locations.begin(), locations.end());
  const auto r = RunSpacestore(args);
  EXPECT_EQ(r.status, 0) << r.out;
  return r.status == 0 ? json::parse(r.out).as_object() : json::object();
}

// Reads back through a server what MakeDeployment made, then changes it (a revert, a new file).
void ExpectServed(ServerProcess& server, const Made& made) {
  Client client(server);
  for (const auto& f : made.files) {
    const auto r = client.Download(f.space, f.id);
    ASSERT_EQ(r.status, 200) << f.id;
    EXPECT_EQ(r.body, f.bytes) << f.id;
  }
  for (const auto& [space, used] : made.used) EXPECT_EQ(client.UsedQuota(space), used) << space;
  const auto folder = client.Call("GET", "/v1.0/storage/spaces/" + made.versioned.space +
                                             "/dentries?unionId=union1&parentId=" + made.folder);
  ASSERT_EQ(folder.at("dentries").as_array().size(), 1u);
  EXPECT_EQ(folder.at("dentries").at(0).at("name"), "nested.bin");
  EXPECT_EQ(client.Download(made.versioned.space, made.versioned.id).body, made.versioned.bytes);
  client.Call("POST", "/v1.0/storage/spaces/" + made.versioned.space + "/dentries/" +
                          made.versioned.id + "/versions/1/revert?unionId=union1");
  EXPECT_EQ(client.Download(made.versioned.space, made.versioned.id).body, made.first)
      << "the old version's content moved too";
  // New writes on the copy take fresh ids after the copied ones.
  const std::string later = RandomBytes(5000, 7);
  const auto dentry = client.PutFile(made.versioned.space, "later.bin", later);
  EXPECT_EQ(client.Download(made.versioned.space, std::string(dentry.at("id").as_string())).body,
            later);
}

// Where a deployment is migrated to: locations naming a fresh store, and the serve flags that
// use them.
struct Target {
  std::string name;
  // migrate's --to and --to-blobs arguments for a fresh target under `dir`.
  std::vector<std::string> (*locations)(const testing::TempDir& dir);
  // serve's arguments after --data-dir (a node's local directory) to run on that target.
  std::vector<std::string> (*serve_args)(const testing::TempDir& dir);
  // Whether `spacestore fsck --data-dir` can check the target (a data directory).
  bool data_dir = true;
  // Whether the target needs the PostgreSQL server binaries.
  bool postgres = false;
};

// Its name, so the test names CTest discovers do not hold the struct's bytes (pointers).
void PrintTo(const Target& target, std::ostream* os) { *os << target.name; }

// The PostgreSQL + S3 target of the running test: `locations` makes a fresh schema and bucket
// and `serve_args` names the same ones (one test at a time in the binary).
struct SharedStores {
  std::string metadata;
  std::string blobs;
};
SharedStores& CurrentSharedStores() {
  static SharedStores stores;
  return stores;
}

const Target kTargets[] = {
    {"SqliteDir",
     [](const testing::TempDir& dir) -> std::vector<std::string> {
       return {"--to", "sqlite:" + dir.File("target"), "--to-blobs", "local:" + dir.File("target")};
     },
     [](const testing::TempDir&) -> std::vector<std::string> { return {}; }},
    {"PostgresS3",
     [](const testing::TempDir&) -> std::vector<std::string> {
       static testing::S3Server s3;  // Started on first use, stopped at exit.
       ::setenv("SPACESTORE_S3_ACCESS_KEY_ID", testing::S3Server::kAccessKeyId, 1);
       ::setenv("SPACESTORE_S3_SECRET_ACCESS_KEY", testing::S3Server::kSecretAccessKey, 1);
       auto& stores = CurrentSharedStores();
       stores.metadata = testing::PostgresServer::ForTest().NewSchemaUrl();
       stores.blobs = s3.NewBucket(s3.NewBucketName());
       return {"--to", stores.metadata, "--to-blobs", stores.blobs};
     },
     [](const testing::TempDir&) -> std::vector<std::string> {
       const auto& stores = CurrentSharedStores();
       return {"--metadata", stores.metadata, "--blobs", stores.blobs};
     },
     /*data_dir=*/false, /*postgres=*/true},
};

class MigrateRoundTrip : public ::testing::TestWithParam<Target> {};

TEST_P(MigrateRoundTrip, ADataDirMovesWholeAndBackAndARerunCopiesNothing) {
  const Target& target = GetParam();
  if (target.postgres && !testing::PostgresServer::Available()) {
    GTEST_SKIP() << "PostgreSQL's server binaries are not installed";
  }
  testing::TempDir dir;
  const std::string source = dir.File("source");
  const Made made = MakeDeployment(source);
  std::vector<std::string> locations{"--from", "sqlite:" + source};
  for (auto& a : target.locations(dir)) locations.push_back(std::move(a));

  const auto first = Migrate(locations);
  ASSERT_FALSE(first.empty());
  int64_t copied_rows = 0;
  for (const auto& t : first.at("tables").as_array()) {
    EXPECT_EQ(t.at("inserted"), t.at("rows")) << json::serialize(t);
    copied_rows += t.at("inserted").as_int64();
  }
  EXPECT_GT(copied_rows, 10);
  // Six distinct contents: small (stored once for two files), nested, the assembled multipart
  // file, two versions, the unfinished upload's part.
  EXPECT_EQ(first.at("blobs").at("copied").as_int64(), 6);
  EXPECT_EQ(first.at("verified").at("blobs"), first.at("blobs").at("referenced"));

  const auto second = Migrate(locations);
  ASSERT_FALSE(second.empty());
  for (const auto& t : second.at("tables").as_array()) {
    EXPECT_EQ(t.at("inserted").as_int64(), 0) << json::serialize(t);
    EXPECT_EQ(t.at("present"), t.at("rows")) << json::serialize(t);
  }
  EXPECT_EQ(second.at("blobs").at("copied").as_int64(), 0);
  if (target.data_dir) {
    const auto fsck = RunSpacestore({"fsck", "--data-dir", dir.File("target"), "--verify-content"});
    EXPECT_EQ(fsck.status, 0) << fsck.out;
  }

  // And back: the target (the --to arguments, now as --from) into a new data directory.
  std::vector<std::string> back{"--to", "sqlite:" + dir.File("back")};
  for (size_t i = 2; i + 1 < locations.size(); i += 2) {
    back.push_back(locations[i] == "--to" ? "--from" : "--from-blobs");
    back.push_back(locations[i + 1]);
  }
  ASSERT_FALSE(Migrate(back).empty());
  const auto fsck_back =
      RunSpacestore({"fsck", "--data-dir", dir.File("back"), "--verify-content"});
  EXPECT_EQ(fsck_back.status, 0) << fsck_back.out;

  {
    ServerProcess server(target.serve_args(dir), dir.File("target"));
    ExpectServed(server, made);
  }
  ServerProcess server({}, dir.File("back"));
  ExpectServed(server, made);
}

INSTANTIATE_TEST_SUITE_P(Targets, MigrateRoundTrip, ::testing::ValuesIn(kTargets),
                         [](const ::testing::TestParamInfo<Target>& target) {
                           return target.param.name;
                         });

TEST(MigrateTest, RefusesABusyStoreATargetHoldingAnotherDeploymentAndBadLocations) {
  testing::TempDir dir;
  const std::string source = dir.File("source");
  const std::string other = dir.File("other");
  MakeDeployment(source);
  {
    ServerProcess server({}, other);  // Bootstraps its own org, app, user and keys.
    EXPECT_EQ(server.Stop(), 0);
  }
  const auto refused =
      RunSpacestore({"admin", "migrate", "--from", "sqlite:" + source, "--to", "sqlite:" + other});
  EXPECT_EQ(refused.status, 1);
  {
    // A server still running on the source (or on the target) is refused before any copy.
    ServerProcess running({}, source);
    EXPECT_EQ(RunSpacestore({"admin", "migrate", "--from", "sqlite:" + source, "--to",
                             "sqlite:" + dir.File("fresh")})
                  .status,
              1);
    EXPECT_FALSE(std::filesystem::exists(dir.File("fresh") + "/metadata.db"));
    EXPECT_EQ(
        RunSpacestore({"admin", "migrate", "--from", "sqlite:" + other, "--to", "sqlite:" + source})
            .status,
        1);
  }

  EXPECT_EQ(RunSpacestore({"admin", "migrate", "--from", "sqlite:" + dir.File("none"), "--to",
                           "sqlite:" + dir.File("t")})
                .status,
            1);
  EXPECT_FALSE(std::filesystem::exists(dir.File("t"))) << "nothing made for a missing source";
  EXPECT_EQ(RunSpacestore({"admin", "migrate", "--from", "memory", "--to", "sqlite:x"}).status, 2);
  EXPECT_EQ(RunSpacestore({"admin", "migrate", "--from", "sqlite:" + source, "--to",
                           "sqlite:" + source + "/"})
                .status,
            2);
  EXPECT_EQ(RunSpacestore({"admin", "migrate", "--from", "sqlite:" + source}).status, 2);

  // A location's password never reaches the output (a form no build knows: a usage error).
  const std::string cmd = "'" + ServerProcess::BinaryPath() +
                          "' admin migrate --from 'mysql://u:s3cret@db:5432/x?password=s3cret' "
                          "--to sqlite:" +
                          dir.File("t") + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out(4096, '\0');
  out.resize(fread(out.data(), 1, out.size(), p));
  EXPECT_EQ(WEXITSTATUS(pclose(p)), 2);
  EXPECT_NE(out.find("mysql://u@db:5432/x"), std::string::npos) << out;
  EXPECT_EQ(out.find("s3cret"), std::string::npos) << out;
}

}  // namespace
}  // namespace spacestore
