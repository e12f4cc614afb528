#include "storage/fault/fault_plan.h"

#include <sys/stat.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <sstream>

#include "domain/store_errors.h"

namespace spacestore::storage {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool ParseFault(std::string_view text, FaultPlan::Fault& out) {
  if (text == "none") {
    out = FaultPlan::Fault::kNone;
  } else if (text == "enospc") {
    out = FaultPlan::Fault::kNoSpace;
  } else if (text == "eio") {
    out = FaultPlan::Fault::kIoError;
  } else {
    return false;
  }
  return true;
}

template <class N>
bool ParseNumber(std::string_view text, N& out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size() && out >= 0;
}

bool ApplyLine(std::string_view key, std::string_view value, FaultPlan& plan) {
  if (key == "blob_write") return ParseFault(value, plan.blob_write);
  if (key == "blob_write_after_bytes") return ParseNumber(value, plan.blob_write_after_bytes);
  if (key == "blob_sync") return ParseFault(value, plan.blob_sync);
  if (key == "blob_read") return ParseFault(value, plan.blob_read);
  if (key == "metadata_write") return ParseFault(value, plan.metadata_write);
  if (key == "metadata_read") return ParseFault(value, plan.metadata_read);
  if (key == "delay_ms") return ParseNumber(value, plan.delay_ms);
  return false;
}

}  // namespace

Result<FaultPlan> ParseFaultPlan(std::string_view text) {
  FaultPlan plan;
  int line_no = 0;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    ++line_no;
    line = Trim(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    const size_t eq = line.find('=');
    if (eq == std::string_view::npos ||
        !ApplyLine(Trim(line.substr(0, eq)), Trim(line.substr(eq + 1)), plan)) {
      return MakeError(Errc::kInvalidArgument, "fault_file",
                       "line " + std::to_string(line_no) + ": '" + std::string(line) + "'");
    }
  }
  return plan;
}

Error FaultError(FaultPlan::Fault fault, std::string_view subject, std::string_view what) {
  if (fault == FaultPlan::Fault::kNoSpace) {
    return MakeError(Errc::kUnavailable, domain::kSubjectStorageFull,
                     "injected fault: " + std::string(subject) + " " + std::string(what) +
                         ": No space left on device");
  }
  return MakeError(Errc::kUnavailable, std::string(subject),
                   "injected fault: " + std::string(what) + ": Input/output error");
}

void FaultSwitch::Set(const FaultPlan& plan) {
  MutexLock lock(mu_);
  plan_ = plan;
}

FaultPlan FaultSwitch::Current() {
  MutexLock lock(mu_);
  return plan_;
}

FaultPlan FaultFile::Current() {
  struct stat st {};
  Stamp now;
  if (::stat(path_.c_str(), &st) == 0) {
    now = Stamp{.inode = st.st_ino, .size = st.st_size, .modified = st.st_mtim};
  }
  MutexLock lock(mu_);
  if (now == stamp_) return plan_;
  stamp_ = now;
  if (now.size < 0) {  // No file: no faults.
    plan_ = FaultPlan{};
    return plan_;
  }
  std::ifstream in(path_, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (auto parsed = ParseFaultPlan(text.str())) {
    plan_ = *parsed;
  } else {
    std::cerr << "fault file " << path_ << ": " << parsed.error().message
              << "; keeping the previous plan\n";
  }
  return plan_;
}

}  // namespace spacestore::storage
