// The thumbnailer module's entry points (thumbnailer_module.h): VipsThumbnailer behind two C
// symbols. Everything else in the module is hidden (-fvisibility=hidden on the target), so
// its copies of the domain code it needs never interpose on the binary's.
#include "storage/thumbnail/thumbnailer_module.h"

#include <type_traits>

#include "storage/thumbnail/vips_thumbnailer.h"

using spacestore::Result;
using spacestore::domain::Thumbnailer;

// NOLINTBEGIN(readability-identifier-naming): the names are the module's fixed C symbols.
extern "C" __attribute__((visibility("default"))) void SpacestoreThumbnailerCreateV1(
    Result<std::unique_ptr<Thumbnailer>>* out) {
  auto created = spacestore::storage::VipsThumbnailer::Create();
  if (!created) {
    *out = created.error();
    return;
  }
  *out = std::unique_ptr<Thumbnailer>(std::move(*created));
}

extern "C" __attribute__((visibility("default"))) void SpacestoreThumbnailerShutdownV1() {
  spacestore::storage::VipsThumbnailer::Shutdown();
}
// NOLINTEND(readability-identifier-naming)

static_assert(std::is_same_v<decltype(&SpacestoreThumbnailerCreateV1),
                             spacestore::storage::ThumbnailerCreateFn>);
static_assert(std::is_same_v<decltype(&SpacestoreThumbnailerShutdownV1),
                             spacestore::storage::ThumbnailerShutdownFn>);
