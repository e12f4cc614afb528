#pragma once

// Clang thread-safety annotations (leveldb's port/thread_annotations.h, with the capability
// names of clang's documentation). They say which mutex guards which member; under clang with
// -Wthread-safety (the clang-tsa preset, run by `make check`) they are checked, under gcc they
// expand to nothing. They check only locks of an annotated type, Mutex (base/mutex.h) and
// SharedMutex (base/shared_mutex.h): libstdc++'s std::mutex is not a capability, so a member
// GUARDED_BY a std::mutex would be checked against nothing.
#if defined(__clang__)
#define SPACESTORE_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define SPACESTORE_THREAD_ANNOTATION(x)
#endif

// On members and variables.
#define GUARDED_BY(x) SPACESTORE_THREAD_ANNOTATION(guarded_by(x))

// On functions: the caller must (or must not) hold these.
#define EXCLUSIVE_LOCKS_REQUIRED(...) \
  SPACESTORE_THREAD_ANNOTATION(exclusive_locks_required(__VA_ARGS__))
#define SHARED_LOCKS_REQUIRED(...) SPACESTORE_THREAD_ANNOTATION(shared_locks_required(__VA_ARGS__))
#define LOCKS_EXCLUDED(...) SPACESTORE_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

// On the lock types themselves.
#define CAPABILITY(x) SPACESTORE_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY SPACESTORE_THREAD_ANNOTATION(scoped_lockable)
#define ACQUIRE(...) SPACESTORE_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) SPACESTORE_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) SPACESTORE_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) SPACESTORE_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
