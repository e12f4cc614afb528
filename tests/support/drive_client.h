#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/json/object.hpp>

#include "server_process.h"

namespace spacestore::testing {

// A reply with a status other than the one expected. Transport failures (a server that is gone)
// surface instead as boost::system::system_error from ServerProcess::Request, so a caller can
// tell a wrong answer from no answer.
class StatusError : public std::runtime_error {
 public:
  StatusError(int status, const std::string& what) : std::runtime_error(what), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// DriveClient drives one running server as the bootstrap app and user would, in the DingTalk
// and KooDrive dialects: spaces, folders, single and multipart uploads, downloads. Without
// gtest, so the crash loop can use it as well as the integration tests. Each call opens a new
// connection. Not thread-safe; use one per thread (it borrows `server`, which must outlive it).
class DriveClient {
 public:
  using Headers = std::vector<std::pair<std::string, std::string>>;

  // Fetches a token; throws as Request does when the server does not answer.
  explicit DriveClient(const ServerProcess& server);

  // A DingTalk call with the token; any status.
  HttpResult Call(const std::string& method, const std::string& target,
                  const std::string& body = "") const;
  // A KooDrive call with the token as `Authorization: Bearer`; any status.
  HttpResult KooDrive(const std::string& method, const std::string& target,
                      const std::string& body = "") const;
  // Call, and the JSON reply; StatusError unless it answers 200.
  boost::json::object Ok(const std::string& method, const std::string& target,
                         const std::string& body = "") const;

  // AddSpace as the bootstrap user (a USER space); returns its id.
  std::string AddSpace(const std::string& scene, const std::string& scene_id) const;
  // AddFolder under `parent`; returns the folder's id.
  std::string AddFolder(const std::string& space, const std::string& parent,
                        const std::string& name) const;
  // A single upload (uploadInfos/query, PUT, commit) of `data` as `name` in the root folder;
  // returns the committed dentry.
  boost::json::object PutFile(const std::string& space, const std::string& name,
                              const std::string& data) const;
  // A multipart upload (init, part URLs, one PUT per `part_bytes`, commit); returns the dentry.
  boost::json::object PutMultipart(const std::string& space, const std::string& name,
                                   const std::string& data, size_t part_bytes) const;
  // Asks for a download URL and GETs it.
  HttpResult Download(const std::string& space, const std::string& dentry) const;

  // The path of an absolute signed URL of a headerSignatureInfo, and its headers.
  static std::pair<std::string, Headers> Signed(const boost::json::value& info);

 private:
  // PUT to a signed URL; StatusError unless it answers 200.
  void Put(const boost::json::value& info, const std::string& data) const;

  const ServerProcess& server_;
  std::string token_;
};

}  // namespace spacestore::testing
