#include "domain/space.h"

namespace spacestore::domain {

const char* OwnerTypeName(OwnerType t) { return t == OwnerType::kApp ? "APP" : "USER"; }

}  // namespace spacestore::domain
