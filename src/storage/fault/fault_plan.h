#pragma once

#include <sys/types.h>

#include <cstdint>
#include <ctime>
#include <memory>
#include <string>
#include <string_view>

#include "base/mutex.h"
#include "base/result.h"

namespace spacestore::storage {

// What the fault decorators (FaultyBlobStore, FaultyMetadataStore) do to each store call: a
// test's stand-in for a full disk (ENOSPC), a failing one (EIO), a failed fsync or a slow disk.
// A plain value; the default plan injects nothing.
struct FaultPlan {
  enum class Fault {
    kNone,
    kNoSpace,  // ENOSPC: kUnavailable, subject "storage_full" (507 on the wire).
    kIoError,  // EIO: Errc::kUnavailable (503 on the wire).
  };

  // BlobWriter::Append (and NewWriter, Remove, SweepStaging). Default: kNone.
  Fault blob_write = Fault::kNone;
  // A writer fails only once it holds more than this many bytes: a disk that fills in the
  // middle of an upload. 0: from the first byte (and at NewWriter). Default: 0.
  int64_t blob_write_after_bytes = 0;
  // BlobWriter::Commit, which fsyncs and renames: a failed fsync. Default: kNone.
  Fault blob_sync = Fault::kNone;
  // BlobStore::Open, Exists, List and BlobReader::ReadAt. Default: kNone.
  Fault blob_read = Fault::kNone;
  // MetadataStore::Transact, before the transaction starts. Default: kNone.
  Fault metadata_write = Fault::kNone;
  // MetadataStore::View, ReadOne, GetSpace and GetDentries. Default: kNone.
  Fault metadata_read = Fault::kNone;
  // A slow disk: every store call (each Append and ReadAt included) first sleeps this long.
  // Default: 0.
  int delay_ms = 0;

  bool operator==(const FaultPlan&) const = default;
};

// Parses the fault file's text: one `key=value` a line (keys as the fields above, fault values
// `none`, `enospc` or `eio`, numbers in decimal), blank lines and `#` comments ignored. An empty
// text is the empty plan. kInvalidArgument (subject "fault_file") naming the bad line.
Result<FaultPlan> ParseFaultPlan(std::string_view text);

// The error a fault stands for, on `subject`'s store ("blob" or "metadata").
Error FaultError(FaultPlan::Fault fault, std::string_view subject, std::string_view what);

// FaultSource tells the decorators the plan in force now.
// Thread-safety: implementations are safe to call from any number of threads.
class FaultSource {
 public:
  virtual ~FaultSource() = default;
  virtual FaultPlan Current() = 0;
};

// FaultSwitch is the in-process source: a test sets the plan, and later calls see it.
// Thread-safe.
class FaultSwitch final : public FaultSource {
 public:
  void Set(const FaultPlan& plan);
  void Clear() { Set(FaultPlan{}); }
  FaultPlan Current() override;

 private:
  Mutex mu_;
  FaultPlan plan_ GUARDED_BY(mu_);
};

// FaultFile is the source for the real binary (`serve --fault-file PATH`, test only): the plan
// is the file's content, re-read when the file changes. Each call costs one stat(2); the file
// is parsed only when its inode, size or modification time differ from the last read, so a
// test should write the new plan to a temporary file and rename it over PATH. A missing file is
// the empty plan (delete it to clear every fault); a file that does not parse keeps the last
// good plan and says why once on stderr.
// Thread-safe.
class FaultFile final : public FaultSource {
 public:
  explicit FaultFile(std::string path) : path_(std::move(path)) {}
  FaultPlan Current() override;

 private:
  struct Stamp {
    ino_t inode = 0;
    off_t size = -1;
    timespec modified{};
    bool operator==(const Stamp& o) const {
      return inode == o.inode && size == o.size && modified.tv_sec == o.modified.tv_sec &&
             modified.tv_nsec == o.modified.tv_nsec;
    }
  };

  const std::string path_;
  Mutex mu_;
  Stamp stamp_ GUARDED_BY(mu_);
  FaultPlan plan_ GUARDED_BY(mu_);
};

}  // namespace spacestore::storage
