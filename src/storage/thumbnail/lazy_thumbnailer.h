#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "domain/thumbnailer.h"

namespace spacestore::storage {

// LazyThumbnailer is the Thumbnailer the server wires in: it loads the thumbnailer module
// (thumbnailer_module.h, libvips inside) with dlopen on the first Render and forwards every
// Render to it. A server that is never asked for a thumbnail never maps libvips and its ~100
// libraries, which is most of its start time and of its idle memory.
//
// The module's file is opened when the LazyThumbnailer is made, at the server's start, and the
// load goes through that descriptor (/proc/self/fd/N): an upgrade installed over a running server
// replaces the file's name, not the file this server opened. Before loading, the file's GNU build
// id must be the one this build linked (ThumbnailerModuleBuildId()); a module from another build
// (copied over the file in place, say) is refused without running any of its code.
//
// When the module cannot be loaded (missing file, missing libvips, a module from another build,
// libvips not starting), the failure is reported once through `on_load_failure`, at the first
// Render, and every Render answers kUnavailable (subject "thumbnail"); the load is not retried,
// so a broken install costs one attempt, not one a request, and never the server's start.
//
// The module is never unloaded: libvips and GLib register types and threads that cannot be
// torn down, so the handle stays open until the process exits.
//
// Thread-safety: Render is safe to call concurrently; the first callers wait for the one load.
// Shutdown is not, and comes after the last Render.
class LazyThumbnailer final : public domain::Thumbnailer {
 public:
  // Called at most once, with a message saying what failed to load and why.
  using LoadFailureFn = std::function<void(const std::string& message)>;

  // Opens the module's file `module_path` (a failure is kept for the first Render) and loads
  // nothing yet. `on_load_failure` may be empty.
  explicit LazyThumbnailer(std::filesystem::path module_path, LoadFailureFn on_load_failure = {});
  ~LazyThumbnailer() override;

  LazyThumbnailer(const LazyThumbnailer&) = delete;
  LazyThumbnailer& operator=(const LazyThumbnailer&) = delete;

  // kThumbnailerModuleFile in the directory of the running executable (/proc/self/exe), where
  // the build and the install put it; empty when that link cannot be read.
  static std::filesystem::path ModuleBesideExecutable();

  // Thumbnailer. The module's Render, once loaded; otherwise kUnavailable.
  Result<domain::ThumbnailImage> Render(std::string_view content, int max_edge) const override;

  // Stops libvips if the module was loaded (a no-op otherwise), after the last Render; any
  // later Render answers kUnavailable. Call once, at process exit: libvips cannot start again
  // in the same process.
  void Shutdown();

  // Whether the module has been loaded (true after a successful first Render). For tests.
  bool loaded() const;

 private:
  void Load() const;

  const std::filesystem::path module_path_;
  const LoadFailureFn on_load_failure_;
  // The module's file as opened at construction (-1 if it could not be, `open_error_` says
  // why); closed by the destructor, as the loaded module no longer needs it.
  int module_fd_ = -1;
  std::string open_error_;
  // Set once by Load (under load_once_), read only after it.
  mutable std::once_flag load_once_;
  mutable void* handle_ = nullptr;
  mutable std::unique_ptr<domain::Thumbnailer> loaded_;
};

}  // namespace spacestore::storage
