#pragma once

#include <string>
#include <system_error>

namespace spacestore {

// The closed set of failure kinds every module boundary speaks. Dialects map each one to
// their own status code and error body (api/*/errors.cc); nothing else interprets them.
enum class Errc {
  kOk = 0,
  kNotFound,            // the named entity does not exist (or is not visible to the caller)
  kAlreadyExists,       // a create whose key is taken and which is not idempotent
  kInvalidArgument,     // malformed or out-of-range input
  kUnauthenticated,     // missing, malformed or expired credentials
  kPermissionDenied,    // authenticated, but not allowed
  kQuotaExceeded,       // the operation would pass a space, app or org limit
  kConflict,            // the state changed under the caller (e.g. a name collision)
  kPreconditionFailed,  // the caller's stated expectation (size, md5, version) does not hold
  kUnavailable,         // a backend (disk, database) is down or busy; retrying may help
  kInternal,            // a bug or a broken invariant
};

// The error category that makes Errc usable as a std::error_code (for logs and asio).
const std::error_category& ErrcCategory();
std::error_code make_error_code(Errc e);  // NOLINT(readability-identifier-naming): ADL hook

// Stable lower-case name of an Errc ("not_found"), used in logs.
const char* ErrcName(Errc e);

}  // namespace spacestore

template <>
struct std::is_error_code_enum<spacestore::Errc> : std::true_type {};
