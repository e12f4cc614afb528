#pragma once

#include <memory>
#include <string_view>

#include "base/result.h"
#include "domain/thumbnailer.h"

namespace spacestore::storage {

// The interface of the thumbnailer module, libspacestore-thumbnailer.so: VipsThumbnailer built as
// a shared object that LazyThumbnailer loads with dlopen on the first thumbnail asked for, so the
// spacestore binary neither links libvips nor pays for its ~100 libraries and module scan at
// start (docs/architecture.md, *Startup*).
//
// The module and the binary are built from one tree by one build and installed side by side, so
// C++ types cross the boundary as they are; the entry points have C linkage only so that dlsym
// finds them by these fixed names. The names carry a version: change it whenever a type that
// crosses (domain::Thumbnailer, domain::ThumbnailImage, Result, Error) changes its layout, so a
// stale module is refused instead of misread.

// The module's file name, looked for in the binary's own directory.
inline constexpr const char* kThumbnailerModuleFile = "libspacestore-thumbnailer.so";

// The GNU build id (lower-case hex) of the module this build linked, generated after its link
// (build_id.cmake, which defines this function). A module file with another id comes from another
// build, such as an upgrade installed over a running server, and is not loaded: C++ types cross the
// boundary.
std::string_view ThumbnailerModuleBuildId();

// `void SpacestoreThumbnailerCreateV1(Result<std::unique_ptr<domain::Thumbnailer>>* out)`:
// starts libvips (once per process) and stores a thumbnailer, or kUnavailable, in `*out`.
// Thread-safe.
inline constexpr const char* kThumbnailerCreateSymbol = "SpacestoreThumbnailerCreateV1";
using ThumbnailerCreateFn = void (*)(Result<std::unique_ptr<domain::Thumbnailer>>* out);

// `void SpacestoreThumbnailerShutdownV1()`: stops libvips, after the last Render of every
// thumbnailer the module made; a later Create answers kUnavailable.
inline constexpr const char* kThumbnailerShutdownSymbol = "SpacestoreThumbnailerShutdownV1";
using ThumbnailerShutdownFn = void (*)();

}  // namespace spacestore::storage
