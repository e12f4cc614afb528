// LocalThumbnailStore: one file per (content, edge) under a fan-out of the blob id's first two
// hex digits. The header is text ("spacestore-thumbnail 1", then "ok <w> <h> <type>" or
// "failed <subject>") so an operator can read it with head(1); the image bytes follow. Holding
// entries in the blob store instead was rejected: thumbnails are derived, and the collector and
// fsck would have to learn that some blobs are referenced by other blobs.
#include "storage/thumbnail/local_thumbnail_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <sstream>
#include <system_error>

#include "base/ids.h"
#include "domain/store_errors.h"

namespace spacestore::storage {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kMagic = "spacestore-thumbnail 1\n";

Error IoError(const std::string& what, int err) {
  const bool full = err == ENOSPC || err == EDQUOT;
  return MakeError(Errc::kUnavailable, full ? domain::kSubjectStorageFull : "thumbnail",
                   what + ": " + std::strerror(err));
}

// Blob ids are 64 lower-case hex digits; anything else never names a path.
bool IsBlobId(std::string_view id) {
  return id.size() == 64 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

std::string Encode(const domain::CachedThumbnail& entry) {
  std::string out(kMagic);
  if (entry.image) {
    out += "ok " + std::to_string(entry.image->width) + " " + std::to_string(entry.image->height) +
           " " + entry.image->content_type + "\n";
    out += entry.image->bytes;
  } else {
    out += "failed " + entry.failure + "\n";
  }
  return out;
}

std::optional<int32_t> ParseInt(const std::string& s) {
  int32_t n = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size() || n <= 0) return std::nullopt;
  return n;
}

std::optional<domain::CachedThumbnail> Decode(const std::string& text) {
  if (!text.starts_with(kMagic)) return std::nullopt;
  const size_t eol = text.find('\n', kMagic.size());
  if (eol == std::string::npos) return std::nullopt;
  std::istringstream line(text.substr(kMagic.size(), eol - kMagic.size()));
  std::string status;
  line >> status;
  domain::CachedThumbnail entry;
  if (status == "failed") {
    line >> entry.failure;
    if (entry.failure.empty()) return std::nullopt;
    return entry;
  }
  std::string w;
  std::string h;
  domain::ThumbnailImage image;
  line >> w >> h >> image.content_type;
  const auto width = ParseInt(w);
  const auto height = ParseInt(h);
  if (status != "ok" || !width || !height || image.content_type.empty()) return std::nullopt;
  image.width = *width;
  image.height = *height;
  image.bytes = text.substr(eol + 1);
  entry.image = std::move(image);
  return entry;
}

Result<void> WriteAll(int fd, std::string_view data, const fs::path& path) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("write " + path.string(), errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<LocalThumbnailStore>> LocalThumbnailStore::OpenDirectory(
    const fs::path& root) {
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec)
    return MakeError(Errc::kUnavailable, "thumbnail",
                     "create " + root.string() + ": " + ec.message());
  // Owner-only like the rest of the data dir (docs/security.md).
  ::chmod(root.c_str(), 0700);
  return std::unique_ptr<LocalThumbnailStore>(new LocalThumbnailStore(root));
}

fs::path LocalThumbnailStore::PathOf(std::string_view blob_id, int edge) const {
  return root_ / std::string(blob_id.substr(0, 2)) /
         (std::string(blob_id) + "." + std::to_string(edge));
}

Result<std::optional<domain::CachedThumbnail>> LocalThumbnailStore::Get(std::string_view blob_id,
                                                                        int edge) {
  if (!IsBlobId(blob_id)) return std::optional<domain::CachedThumbnail>();
  const fs::path path = PathOf(blob_id, edge);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<domain::CachedThumbnail>();
    return IoError("open " + path.string(), errno);
  }
  std::string text;
  std::array<char, size_t{64} << 10> buffer{};
  ssize_t n = 0;
  while ((n = ::read(fd, buffer.data(), buffer.size())) != 0) {
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return IoError("read " + path.string(), err);
    }
    text.append(buffer.data(), static_cast<size_t>(n));
  }
  ::close(fd);
  return Decode(text);
}

Result<void> LocalThumbnailStore::Put(std::string_view blob_id, int edge,
                                      const domain::CachedThumbnail& entry) {
  if (!IsBlobId(blob_id)) {
    return MakeError(Errc::kInvalidArgument, "blob", "not a blob id: " + std::string(blob_id));
  }
  const fs::path target = PathOf(blob_id, edge);
  const fs::path dir = target.parent_path();
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) {
    return IoError("mkdir " + dir.string(), errno);
  }
  const fs::path tmp = dir / ("." + RandomAlnumId(16) + ".tmp");
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("open " + tmp.string(), errno);
  auto written = WriteAll(fd, Encode(entry), tmp);
  if (written && ::fsync(fd) != 0) written = IoError("fsync " + tmp.string(), errno);
  ::close(fd);
  if (written && ::rename(tmp.c_str(), target.c_str()) != 0) {
    written = IoError("rename " + tmp.string(), errno);
  }
  if (!written) ::unlink(tmp.c_str());
  return written;
}

Result<void> LocalThumbnailStore::Remove(std::string_view blob_id) {
  if (!IsBlobId(blob_id)) return {};
  const fs::path dir = root_ / std::string(blob_id.substr(0, 2));
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > blob_id.size() && name.starts_with(blob_id) && name[blob_id.size()] == '.') {
      if (::unlink(it->path().c_str()) != 0 && errno != ENOENT) {
        return IoError("unlink " + it->path().string(), errno);
      }
    }
  }
  if (ec && ec != std::errc::no_such_file_or_directory) {
    return MakeError(Errc::kUnavailable, "thumbnail", "list " + dir.string() + ": " + ec.message());
  }
  return {};
}

Result<std::vector<std::string>> LocalThumbnailStore::List(std::string_view prefix) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator top(root_, ec), end; !ec && top != end; top.increment(ec)) {
    const std::string fan = top->path().filename().string();
    if (fan.size() != 2 || !(fan.starts_with(prefix) || prefix.starts_with(fan))) continue;
    std::error_code inner;
    for (fs::directory_iterator it(top->path(), inner); !inner && it != end; it.increment(inner)) {
      const std::string name = it->path().filename().string();
      const std::string id = name.substr(0, name.find('.'));
      if (IsBlobId(id) && id.starts_with(prefix)) out.push_back(id);
    }
  }
  if (ec) {
    return MakeError(Errc::kUnavailable, "thumbnail",
                     "list " + root_.string() + ": " + ec.message());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace spacestore::storage
