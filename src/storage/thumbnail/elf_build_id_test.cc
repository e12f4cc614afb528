#include "storage/thumbnail/elf_build_id.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "storage/thumbnail/thumbnailer_module.h"
#include "temp_dir.h"

namespace spacestore::storage {
namespace {

std::string BuildIdOf(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  EXPECT_GE(fd, 0) << path;
  std::string id = ReadElfBuildId(fd);
  ::close(fd);
  return id;
}

TEST(ElfBuildIdTest, ReadsTheIdTheLinkerGaveTheModule) {
  // The build read the same id with readelf (build_id.cmake): a SHA-1, 40 hex digits.
  const std::string id = BuildIdOf(SPACESTORE_THUMBNAILER_MODULE);
  EXPECT_EQ(id.size(), 40U);
  EXPECT_EQ(id, ThumbnailerModuleBuildId());
}

TEST(ElfBuildIdTest, AFileThatIsNotElfHasNoId) {
  testing::TempDir dir;
  std::ofstream(dir.File("text")) << "\x7f"
                                     "ELF but not really a shared object";
  EXPECT_EQ(BuildIdOf(dir.File("text")), "");
  std::ofstream(dir.File("empty")).close();
  EXPECT_EQ(BuildIdOf(dir.File("empty")), "");
}

}  // namespace
}  // namespace spacestore::storage
