#pragma once

#include <string>

namespace spacestore::storage {

// The GNU build id (the NT_GNU_BUILD_ID note, `ld --build-id`) of the 64-bit ELF file open at
// `fd`, as lower-case hex, read with pread (the file offset is not moved); empty when the file
// is not such an ELF file or has no build id. Reads the file only: nothing in it runs.
// Thread-safety: thread-safe.
std::string ReadElfBuildId(int fd);

}  // namespace spacestore::storage
