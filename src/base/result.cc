#include "base/result.h"

#include <stdexcept>

namespace spacestore {

void throw_exception_from_error(const Error& e, const boost::source_location& loc) {
  throw std::runtime_error(std::string("unchecked Result error: ") + ErrcName(e.code) + ": " +
                           e.message + " at " + loc.file_name() + ":" + std::to_string(loc.line()));
}

}  // namespace spacestore
