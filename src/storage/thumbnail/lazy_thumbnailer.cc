// LazyThumbnailer: dlopen of the thumbnailer module on first use. RTLD_LOCAL keeps libvips'
// and the module's symbols out of the global namespace; RTLD_NOW makes a missing library fail
// here, at load, rather than at some later call.
//
// The file is opened at start and loaded through /proc/self/fd/N, so that what loads is the
// file that was installed when the server started. The build id check covers what the
// descriptor cannot: a file rewritten in place. Rejected: a build id made up at configure time
// (a random or time-based string), which would make every configure rebuild the loader and two
// builds of one tree differ; the linker's id is a hash of the module, the same for the same
// inputs.
#include "storage/thumbnail/lazy_thumbnailer.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "storage/thumbnail/elf_build_id.h"
#include "storage/thumbnail/thumbnailer_module.h"

namespace spacestore::storage {
namespace {

std::string DlError() {
  const char* message = dlerror();
  return message != nullptr ? message : "unknown error";
}

}  // namespace

LazyThumbnailer::LazyThumbnailer(std::filesystem::path module_path, LoadFailureFn on_load_failure)
    : module_path_(std::move(module_path)), on_load_failure_(std::move(on_load_failure)) {
  // An empty path would make dlopen return the executable itself.
  if (module_path_.empty()) {
    open_error_ = "the executable's directory is unknown";
    return;
  }
  module_fd_ = ::open(module_path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (module_fd_ < 0) open_error_ = std::strerror(errno);
}

// The thumbnailer made by the module goes first; the handle stays open (see the header).
LazyThumbnailer::~LazyThumbnailer() {
  loaded_.reset();
  if (module_fd_ >= 0) ::close(module_fd_);
}

std::filesystem::path LazyThumbnailer::ModuleBesideExecutable() {
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return exe.parent_path() / kThumbnailerModuleFile;
}

void LazyThumbnailer::Load() const {
  const std::string where = "thumbnailer module " + module_path_.string();
  auto fail = [this](const std::string& message) {
    if (on_load_failure_) on_load_failure_(message);
  };
  if (module_fd_ < 0) return fail(where + ": " + open_error_);
  const std::string id = ReadElfBuildId(module_fd_);
  if (id.empty()) return fail(where + ": not a shared object with a build id");
  if (id != ThumbnailerModuleBuildId()) {
    return fail(where + ": built by another build (build id '" + id + "', this binary's is '" +
                std::string(ThumbnailerModuleBuildId()) +
                "'); restart the server after an upgrade");
  }
  const std::string fd_path = "/proc/self/fd/" + std::to_string(module_fd_);
  void* handle = dlopen(fd_path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) return fail(where + ": " + DlError());
  handle_ = handle;
  auto* create = reinterpret_cast<ThumbnailerCreateFn>(dlsym(handle, kThumbnailerCreateSymbol));
  if (create == nullptr) return fail(where + ": " + DlError());
  Result<std::unique_ptr<domain::Thumbnailer>> created = MakeError(Errc::kInternal, "", "");
  create(&created);
  if (!created) return fail(where + ": " + created.error().message);
  loaded_ = std::move(*created);
}

Result<domain::ThumbnailImage> LazyThumbnailer::Render(std::string_view content,
                                                       int max_edge) const {
  std::call_once(load_once_, [this] { Load(); });
  if (!loaded_) return MakeError(Errc::kUnavailable, "thumbnail", "thumbnails are unavailable");
  return loaded_->Render(content, max_edge);
}

void LazyThumbnailer::Shutdown() {
  // A Render after this finds no thumbnailer, and a first one does not load the module.
  std::call_once(load_once_, [] {});
  if (!loaded_) return;
  loaded_.reset();
  auto* shutdown =
      reinterpret_cast<ThumbnailerShutdownFn>(dlsym(handle_, kThumbnailerShutdownSymbol));
  if (shutdown != nullptr) shutdown();
}

bool LazyThumbnailer::loaded() const { return loaded_ != nullptr; }

}  // namespace spacestore::storage
