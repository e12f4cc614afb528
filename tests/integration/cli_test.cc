// The command line as a user meets it: help, bad flags, exit codes.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

#include "server_process.h"

namespace spacestore {
namespace {

struct CliRun {
  int exit_code;
  std::string output;
};

CliRun Spacestore(const std::string& args) {
  const std::string cmd = "'" + testing::ServerProcess::BinaryPath() + "' " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf{};
  size_t n = 0;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(CliTest, HelpOnEveryCommand) {
  for (const char* cmd : {"--help", "serve --help", "admin --help", "admin org --help",
                          "admin app create --help", "admin user list --help", "admin dept --help",
                          "admin dept add-member --help", "admin user remove --help"}) {
    const CliRun r = Spacestore(cmd);
    EXPECT_EQ(r.exit_code, 0) << cmd << "\n" << r.output;
    EXPECT_NE(r.output.find("Usage"), std::string::npos) << cmd;
  }
}

TEST(CliTest, ServeHelpNamesFlagsAndEnvironment) {
  const CliRun r = Spacestore("serve --help");
  for (const char* word : {"--listen", "--data-dir", "--public-url", "SPACESTORE_LISTEN",
                           "SPACESTORE_DATA_DIR", "SPACESTORE_APP_SECRET"}) {
    EXPECT_NE(r.output.find(word), std::string::npos) << word;
  }
}

TEST(CliTest, BadFlagExitsWithTwo) {
  const CliRun r = Spacestore("serve --no-such-flag");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--no-such-flag"), std::string::npos) << r.output;
}

TEST(CliTest, BadListenExitsWithTwo) {
  const CliRun r = Spacestore("serve --listen nonsense");
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

TEST(CliTest, MissingSubcommandExitsWithTwo) { EXPECT_EQ(Spacestore("").exit_code, 2); }

}  // namespace
}  // namespace spacestore
