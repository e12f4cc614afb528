// Names: NormalizeName never crashes, and what it accepts obeys the rules, is already NFC and
// is a fixed point (normalizing it again changes nothing). The rules are checked here against
// utf8proc's tables directly, not through name_rules.cc's helpers, so a slip there shows.
#include <utf8proc.h>

#include <cstdint>
#include <string_view>

#include "domain/name_rules.h"
#include "fuzz_check.h"

namespace {

utf8proc_category_t CategoryAt(std::string_view s, size_t& i) {
  utf8proc_int32_t c = -1;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i);
  const utf8proc_ssize_t n = utf8proc_iterate(p, static_cast<utf8proc_ssize_t>(s.size() - i), &c);
  FUZZ_CHECK(n > 0 && c >= 0);
  i += static_cast<size_t>(n);
  // Joiners and tags are allowed only in context; the unit tests cover which contexts.
  const bool contextual = c == 0x200C || c == 0x200D || (c >= 0xE0020 && c <= 0xE007F);
  const auto category = utf8proc_category(c);
  return contextual ? UTF8PROC_CATEGORY_SO : category;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace domain = spacestore::domain;
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  constexpr size_t kMax = 255;
  auto name = domain::NormalizeName(raw, "name", kMax);
  if (!name) return 0;
  const size_t chars = domain::Utf8Length(*name);
  FUZZ_CHECK(chars >= 1 && chars <= kMax);
  FUZZ_CHECK(name->back() != '.' && name->back() != ' ' && name->front() != ' ');
  FUZZ_CHECK(*name != "." && *name != "..");
  for (const char c : *name) {
    FUZZ_CHECK(static_cast<unsigned char>(c) >= 0x20 && c != 0x7f);
    FUZZ_CHECK(c != '/' && c != '\\' && c != ':' && c != '?');
    FUZZ_CHECK(c != '*' && c != '"' && c != '<' && c != '>' && c != '|');
  }
  const auto nfc = domain::ToNfc(*name);
  FUZZ_CHECK(nfc && *nfc == *name);
  size_t i = 0;
  bool first = true;
  utf8proc_category_t last = UTF8PROC_CATEGORY_CN;
  while (i < name->size()) {
    const auto category = CategoryAt(*name, i);
    FUZZ_CHECK(category != UTF8PROC_CATEGORY_CN && category != UTF8PROC_CATEGORY_CC &&
               category != UTF8PROC_CATEGORY_CF && category != UTF8PROC_CATEGORY_CS &&
               category != UTF8PROC_CATEGORY_ZL && category != UTF8PROC_CATEGORY_ZP);
    if (first) {
      FUZZ_CHECK(category != UTF8PROC_CATEGORY_ZS && category != UTF8PROC_CATEGORY_MN &&
                 category != UTF8PROC_CATEGORY_MC && category != UTF8PROC_CATEGORY_ME);
    }
    first = false;
    last = category;
  }
  FUZZ_CHECK(last != UTF8PROC_CATEGORY_ZS);
  auto again = domain::NormalizeName(*name, "name", kMax);
  FUZZ_CHECK(again && *again == *name);
  return 0;
}
