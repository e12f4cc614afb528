#include "base/errc.h"

namespace spacestore {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "spacestore"; }
  std::string message(int ev) const override { return ErrcName(static_cast<Errc>(ev)); }
};

}  // namespace

const char* ErrcName(Errc e) {
  switch (e) {
    case Errc::kOk:
      return "ok";
    case Errc::kNotFound:
      return "not_found";
    case Errc::kAlreadyExists:
      return "already_exists";
    case Errc::kInvalidArgument:
      return "invalid_argument";
    case Errc::kUnauthenticated:
      return "unauthenticated";
    case Errc::kPermissionDenied:
      return "permission_denied";
    case Errc::kQuotaExceeded:
      return "quota_exceeded";
    case Errc::kConflict:
      return "conflict";
    case Errc::kPreconditionFailed:
      return "precondition_failed";
    case Errc::kUnavailable:
      return "unavailable";
    case Errc::kInternal:
      return "internal";
  }
  return "unknown";
}

const std::error_category& ErrcCategory() {
  static const Category category;
  return category;
}

std::error_code make_error_code(Errc e) { return {static_cast<int>(e), ErrcCategory()}; }

}  // namespace spacestore
