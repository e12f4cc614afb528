#pragma once

// Clang thread-safety annotations (leveldb's port/thread_annotations.h). They document which
// mutex guards which member; under clang with -Wthread-safety they are checked, under gcc they
// expand to nothing.
#if defined(__clang__)
#define SPACESTORE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define SPACESTORE_THREAD_ANNOTATION(x)
#endif

#define GUARDED_BY(x) SPACESTORE_THREAD_ANNOTATION(guarded_by(x))
#define EXCLUSIVE_LOCKS_REQUIRED(...) \
  SPACESTORE_THREAD_ANNOTATION(exclusive_locks_required(__VA_ARGS__))
#define LOCKS_EXCLUDED(...) SPACESTORE_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
