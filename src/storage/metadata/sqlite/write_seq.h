#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/result.h"

namespace spacestore::storage::sqlite {

// WriteSeq is a sequence number shared by every process that opens one SQLite database file: a
// few bytes of a memory-mapped file beside it (`<database>-seq`). Every write transaction marks
// it odd (a write in flight) once it holds the database's write lock, and moves it to a new
// even value after its COMMIT or ROLLBACK. Values only grow. So a value that is even and has
// not changed since it was read means no transaction has committed since, in this process or
// any other on the machine (`spacestore admin`, another server on the same data dir): what a
// process read from the database while the value stood still is still what it holds. That lets
// a server answer hot reads from memory after one atomic load (SpaceView).
//
// Why it is exact: a commit happens only between a writer's BeginWrite and its EndWrite, and
// BeginWrite runs under SQLite's write lock, so at most one writer is between the two at a
// time. A writer that dies between them leaves the value odd until the next writer's BeginWrite
// moves it on: views only miss meanwhile, never lie.
//
// Ownership: owns its mapping. Thread-safety: thread-safe (atomic operations on shared memory).
class WriteSeq {
 public:
  // Maps (creating if needed, mode 0600) `path`. kUnavailable if it cannot.
  static Result<std::unique_ptr<WriteSeq>> Open(const std::string& path);
  ~WriteSeq();
  WriteSeq(const WriteSeq&) = delete;
  WriteSeq& operator=(const WriteSeq&) = delete;

  static bool Stable(uint64_t value) { return value % 2 == 0; }

  // The current value (odd: a write is in flight).
  uint64_t Load() const;
  // Marks a write in flight; returns its token. REQUIRES: the caller holds the database's write
  // lock (BEGIN IMMEDIATE has succeeded).
  uint64_t BeginWrite();
  // Ends the write `token` started, after its COMMIT or ROLLBACK: the next even value, unless a
  // later writer has moved the value on already.
  void EndWrite(uint64_t token);

 private:
  explicit WriteSeq(void* map) : map_(map) {}
  uint64_t* word() const { return static_cast<uint64_t*>(map_); }

  void* map_;
};

}  // namespace spacestore::storage::sqlite
