#pragma once

#include <string>
#include <utility>

#include <boost/system/result.hpp>

#include "base/errc.h"

namespace spacestore {

// Error is what a failed Result carries: the kind, the subject it concerns and a human message.
//
// `subject` is machine-readable and lets a dialect pick a finer code without parsing text:
// for kInvalidArgument it is the offending field ("scene", "name"), for kNotFound the kind of
// entity ("space", "dentry", "user"). It may be empty.
struct Error {
  Errc code = Errc::kInternal;
  std::string subject;
  std::string message;
};

inline Error MakeError(Errc code, std::string subject, std::string message) {
  return Error{code, std::move(subject), std::move(message)};
}

// Result<T> is the return type at every module boundary: a value or an Error. It is
// boost::system::result<T, Error> (same constructors, same accessors) made [[nodiscard]], which
// Boost 1.81's result is not, so a caller cannot drop an error unread. Where ignoring one is
// right, cast to void with a comment saying why.
// Thread-safety: a value type; distinct objects may be used concurrently.
template <class T>
class [[nodiscard]] Result : public boost::system::result<T, Error> {
 public:
  using boost::system::result<T, Error>::result;
};

// boost::system::result calls this when value() is used on an error; our policy is to check
// has_value() / has_error() first, so reaching it is a bug.
[[noreturn]] void throw_exception_from_error(  // NOLINT(readability-identifier-naming): ADL hook
    const Error& e, const boost::source_location& loc);

}  // namespace spacestore
