# spacestore_warnings(target): the project's warning set, errors when SPACESTORE_WERROR is on.
function(spacestore_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wimplicit-fallthrough)
  # GCC 12 reports false -Wrestrict errors inside std::string concatenation at -O2 (GCC bug
  # 105651); the warning stays on for other compilers.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  # Checks the GUARDED_BY annotations (base/thread_annotations.h); gcc has no such analysis.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    target_compile_options(${target} PRIVATE -Wthread-safety)
  endif()
  if(SPACESTORE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
