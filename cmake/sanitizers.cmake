# SPACESTORE_SANITIZE: "address,undefined" or "thread"; set by the asan-ubsan and tsan presets.
set(SPACESTORE_SANITIZE "" CACHE STRING "Sanitizers to build with")
if(SPACESTORE_SANITIZE)
  add_compile_options(-fsanitize=${SPACESTORE_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${SPACESTORE_SANITIZE})
  if(SPACESTORE_SANITIZE MATCHES "undefined")
    # UBSan reports and carries on by default; a finding must fail the test that hit it.
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
  if(SPACESTORE_SANITIZE MATCHES "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # Asio's fenced blocks use atomic_thread_fence, which GCC warns TSan cannot model.
    add_compile_options(-Wno-tsan)
  endif()
endif()

# The fuzz preset: coverage instrumentation everywhere, so libFuzzer sees into the libraries;
# the fuzz executables add -fsanitize=fuzzer for libFuzzer's main (tests/fuzz).
if(SPACESTORE_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
