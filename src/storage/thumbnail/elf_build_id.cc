// ReadElfBuildId: walks the program headers' PT_NOTE segments, as the dynamic loader sees the
// file, rather than the section headers, which a stripped file may lack.
#include "storage/thumbnail/elf_build_id.h"

#include <elf.h>
#include <unistd.h>

#include <cstring>
#include <string_view>

#include "base/crypto.h"

namespace spacestore::storage {
namespace {

// Notes bigger than this are not a module's; a bound on what a corrupt header makes us read.
constexpr uint64_t kMaxNotesBytes = uint64_t{64} * 1024;
// The owner name of GNU notes, with its terminating NUL (counted in n_namesz).
constexpr std::string_view kGnu = std::string_view("GNU\0", 4);

template <class T>
bool ReadAt(int fd, uint64_t offset, T* out) {
  return ::pread(fd, out, sizeof(T), static_cast<off_t>(offset)) == sizeof(T);
}

// The build id among the notes of one PT_NOTE segment, whose entries are padded to `align`.
std::string FindBuildId(std::string_view notes, uint64_t align) {
  const auto padded = [align](uint64_t n) { return (n + align - 1) / align * align; };
  size_t pos = 0;
  while (pos + sizeof(Elf64_Nhdr) <= notes.size()) {
    Elf64_Nhdr note;
    std::memcpy(&note, notes.data() + pos, sizeof(note));
    const uint64_t name_at = pos + sizeof(note);
    const uint64_t desc_at = name_at + padded(note.n_namesz);
    const uint64_t end = desc_at + padded(note.n_descsz);
    if (end > notes.size()) break;
    if (note.n_type == NT_GNU_BUILD_ID && notes.substr(name_at, note.n_namesz) == kGnu) {
      return HexEncode(notes.substr(desc_at, note.n_descsz));
    }
    pos = end;
  }
  return {};
}

}  // namespace

std::string ReadElfBuildId(int fd) {
  Elf64_Ehdr header;
  if (!ReadAt(fd, 0, &header) || std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 ||
      header.e_ident[EI_CLASS] != ELFCLASS64 || header.e_phentsize != sizeof(Elf64_Phdr)) {
    return {};
  }
  for (uint64_t i = 0; i < header.e_phnum; ++i) {
    Elf64_Phdr segment;
    if (!ReadAt(fd, header.e_phoff + i * sizeof(segment), &segment)) return {};
    if (segment.p_type != PT_NOTE || segment.p_filesz > kMaxNotesBytes) continue;
    std::string notes(segment.p_filesz, '\0');
    if (::pread(fd, notes.data(), notes.size(), static_cast<off_t>(segment.p_offset)) !=
        static_cast<ssize_t>(notes.size())) {
      return {};
    }
    if (auto id = FindBuildId(notes, segment.p_align == 8 ? 8 : 4); !id.empty()) return id;
  }
  return {};
}

}  // namespace spacestore::storage
