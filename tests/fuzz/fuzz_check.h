#pragma once

// FUZZ_CHECK: a property a fuzz target asserts. It aborts (a crash to libFuzzer, a failed test
// to the corpus replay) in every build type, unlike assert().
#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)
