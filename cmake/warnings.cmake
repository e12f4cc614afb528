# spacestore_warnings(target): the project's warning set, errors when SPACESTORE_WERROR is on.
function(spacestore_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wimplicit-fallthrough)
  if(SPACESTORE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
