// Names: NormalizeName never crashes, and what it accepts obeys the rules and is already
// normal (normalizing it again changes nothing).
#include <cstdint>
#include <string_view>

#include "domain/name_rules.h"
#include "fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace domain = spacestore::domain;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  constexpr size_t kMax = 255;
  auto name = domain::NormalizeName(raw, "name", kMax);
  if (!name) return 0;
  const size_t chars = domain::Utf8Length(*name);
  FUZZ_CHECK(chars >= 1 && chars <= kMax);
  FUZZ_CHECK(name->back() != '.' && name->back() != ' ' && name->front() != ' ');
  for (const char c : *name) {
    FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
    FUZZ_CHECK(c != '*' && c != '"' && c != '<' && c != '>' && c != '|');
  }
  auto again = domain::NormalizeName(*name, "name", kMax);
  FUZZ_CHECK(again && *again == *name);
  return 0;
}
