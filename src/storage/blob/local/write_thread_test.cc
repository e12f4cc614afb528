#include "storage/blob/local/write_thread.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "temp_dir.h"

namespace spacestore::storage {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(WriteThreadTest, WritesAtTheOffsetWhileTheCallerWorks) {
  testing::TempDir dir;
  const std::string path = dir.File("f");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  WriteThread writer;
  bool ran = false;
  EXPECT_EQ(writer.WriteWhile(fd, "world", 6, [&] { ran = true; }), 0);
  EXPECT_EQ(writer.WriteWhile(fd, "hello ", 0, [] {}), 0);
  ::close(fd);
  EXPECT_TRUE(ran);
  EXPECT_EQ(ReadFile(path), "hello world");
}

TEST(WriteThreadTest, CallersFromManyThreadsEachGetTheirOwnBytesAndErrors) {
  testing::TempDir dir;
  WriteThread writer;
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      const std::string path = dir.File("f" + std::to_string(t));
      const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT, 0600);
      ASSERT_GE(fd, 0);
      const std::string piece(100000, static_cast<char>('a' + t));
      for (int i = 0; i < 20; ++i) {
        ASSERT_EQ(writer.WriteWhile(fd, piece, int64_t{i} * 100000, [] {}), 0);
      }
      ::close(fd);
      EXPECT_EQ(ReadFile(path), std::string(2000000, static_cast<char>('a' + t)));
      // A descriptor open for reading only: the write fails, and this caller hears of it.
      const int ro = ::open(path.c_str(), O_RDONLY);
      EXPECT_EQ(writer.WriteWhile(ro, piece, 0, [] {}), EBADF);
      ::close(ro);
    });
  }
  for (std::thread& t : threads) t.join();
}

}  // namespace
}  // namespace spacestore::storage
