// Name rules. The raw name is normalized to NFC first (utf8proc_map, which also refuses invalid
// UTF-8), decoded to code points, trimmed, and then checked code point by code point against
// the Unicode general category and a few contexts; the trimmed code points are encoded again.
// Checking after NFC means the rules see exactly what is stored, and two canonically equivalent
// spellings get the same answer. Stripping invisible characters instead of refusing them was
// rejected: a name that silently changes is worse than a clear paramError, and a stripped
// bidi override could turn one visible name into another.
#include "domain/name_rules.h"

#include <utf8proc.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <vector>

namespace spacestore::domain {
namespace {

using CodePoint = utf8proc_int32_t;
using CodePoints = std::vector<CodePoint>;

constexpr CodePoint kZeroWidthNonJoiner = 0x200C;
constexpr CodePoint kZeroWidthJoiner = 0x200D;
constexpr CodePoint kBlackFlag = 0x1F3F4;  // The base of emoji flag tag sequences.
constexpr CodePoint kFirstTagSpec = 0xE0020;
constexpr CodePoint kLastTagSpec = 0xE007E;
constexpr CodePoint kCancelTag = 0xE007F;
constexpr int kViramaCombiningClass = 9;

struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }  // utf8proc_map mallocs.
};

utf8proc_category_t Category(CodePoint c) { return utf8proc_category(c); }

bool IsMark(CodePoint c) {
  const auto cat = Category(c);
  return cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC || cat == UTF8PROC_CATEGORY_ME;
}

bool IsLetter(CodePoint c) {
  const auto cat = Category(c);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool IsVariationSelector(CodePoint c) {
  return (c >= 0x180B && c <= 0x180D) || c == 0x180F ||  // Mongolian free variation selectors.
         (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF);
}

bool IsPictographic(CodePoint c) {
  switch (utf8proc_get_property(c)->boundclass) {
    case UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC:
    case UTF8PROC_BOUNDCLASS_E_ZWG:
    case UTF8PROC_BOUNDCLASS_E_BASE:
    case UTF8PROC_BOUNDCLASS_E_BASE_GAZ:
    case UTF8PROC_BOUNDCLASS_GLUE_AFTER_ZWJ:
      return true;
    default:
      return false;
  }
}

// The code point before `i` that is not a mark or emoji modifier (what a joiner at `i` joins
// to), or -1 at the start.
CodePoint BaseBefore(const CodePoints& cps, size_t i) {
  while (i > 0) {
    const CodePoint c = cps[--i];
    const auto bound = utf8proc_get_property(c)->boundclass;
    const bool extends = bound == UTF8PROC_BOUNDCLASS_EXTEND ||
                         bound == UTF8PROC_BOUNDCLASS_E_MODIFIER ||
                         bound == UTF8PROC_BOUNDCLASS_SPACINGMARK;
    if (!extends || Category(c) == UTF8PROC_CATEGORY_CF) return c;
  }
  return -1;
}

bool AfterVirama(const CodePoints& cps, size_t i) {
  return i > 0 && utf8proc_get_property(cps[i - 1])->combining_class == kViramaCombiningClass;
}

// Whether the joiner at `i` does visible work: ZWJ inside an emoji ZWJ sequence, ZWNJ between
// two letters of a joining script (Persian, Arabic, ...), either after a virama (Indic scripts).
// Everywhere else it is invisible and only makes a twin of another name.
bool JoinerInContext(const CodePoints& cps, size_t i) {
  if (i + 1 >= cps.size()) return false;
  const CodePoint next = cps[i + 1];
  if (AfterVirama(cps, i) && IsLetter(next)) return true;
  const CodePoint base = BaseBefore(cps, i);
  if (base < 0) return false;
  if (cps[i] == kZeroWidthJoiner) return IsPictographic(base) && IsPictographic(next);
  return Category(base) == UTF8PROC_CATEGORY_LO && Category(next) == UTF8PROC_CATEGORY_LO;
}

// The length of the emoji flag tag sequence starting at `i` (U+1F3F4, tag specs, cancel tag),
// or 0 if there is none.
size_t FlagTagSequence(const CodePoints& cps, size_t i) {
  if (cps[i] != kBlackFlag) return 0;
  size_t j = i + 1;
  while (j < cps.size() && cps[j] >= kFirstTagSpec && cps[j] <= kLastTagSpec) ++j;
  if (j == i + 1 || j >= cps.size() || cps[j] != kCancelTag) return 0;
  return j - i + 1;
}

std::string Hex(CodePoint c) {
  std::array<char, 16> buf{};
  std::snprintf(buf.data(), buf.size(), "U+%04X", static_cast<unsigned>(c));
  return buf.data();
}

// Why code point `i` is refused, or empty if it is allowed. Tag sequences are handled by the
// caller.
std::string CodePointProblem(const CodePoints& cps, size_t i) {
  const CodePoint c = cps[i];
  switch (c) {
    case '/':
    case '\\':
      return "must not contain '/' or '\\' (a name is one segment of a path)";
    case ':':
    case '*':
    case '?':
    case '"':
    case '<':
    case '>':
    case '|':
      return "contains a forbidden character (: * ? \" < > |)";
    default:
      break;
  }
  const auto* prop = utf8proc_get_property(c);
  switch (static_cast<utf8proc_category_t>(prop->category)) {
    case UTF8PROC_CATEGORY_CC:
      return "contains a control character (" + Hex(c) + ")";
    case UTF8PROC_CATEGORY_CN:
      return "contains an unassigned code point or noncharacter (" + Hex(c) + ")";
    case UTF8PROC_CATEGORY_CS:  // Unreachable: utf8proc refuses surrogates in UTF-8.
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return "contains a line or paragraph separator (" + Hex(c) + ")";
    case UTF8PROC_CATEGORY_CF:
      if ((c == kZeroWidthJoiner || c == kZeroWidthNonJoiner) && JoinerInContext(cps, i)) {
        return {};
      }
      return "contains an invisible format character (" + Hex(c) + ")";
    default:
      break;
  }
  if (i == 0 && IsMark(c)) return "must not begin with a combining mark (" + Hex(c) + ")";
  if (prop->ignorable) {
    // Variation selectors pick a glyph of the character before them; alone they are invisible.
    const bool after_visible = i > 0 && Category(cps[i - 1]) != UTF8PROC_CATEGORY_ZS &&
                               Category(cps[i - 1]) != UTF8PROC_CATEGORY_CF;
    if (IsVariationSelector(c) && after_visible) return {};
    return "contains an invisible character (" + Hex(c) + ")";
  }
  return {};
}

bool EqualsAsciiNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

// Windows opens a device, not a file, for these names, with or without an extension and with
// trailing spaces before it ("nul.txt", "CON .log").
bool IsWindowsDeviceName(std::string_view name) {
  std::string_view stem = name.substr(0, name.find('.'));
  while (!stem.empty() && stem.back() == ' ') stem.remove_suffix(1);
  for (const std::string_view device : {"CON", "PRN", "AUX", "NUL"}) {
    if (EqualsAsciiNoCase(stem, device)) return true;
  }
  if (stem.size() < 4) return false;
  const std::string_view prefix = stem.substr(0, 3);
  if (!EqualsAsciiNoCase(prefix, "COM") && !EqualsAsciiNoCase(prefix, "LPT")) return false;
  const std::string_view digit = stem.substr(3);
  // ¹ ² ³ count as digits to Windows too.
  return (digit.size() == 1 && digit[0] >= '0' && digit[0] <= '9') || digit == "\u00B9" ||
         digit == "\u00B2" || digit == "\u00B3";
}

std::optional<CodePoints> Decode(std::string_view s) {
  CodePoints out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  auto left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    CodePoint c = 0;
    const utf8proc_ssize_t n = utf8proc_iterate(p, left, &c);
    if (n <= 0 || c < 0) return std::nullopt;
    out.push_back(c);
    p += n;
    left -= n;
  }
  return out;
}

std::string Encode(const CodePoints& cps) {
  std::string out;
  out.reserve(cps.size() * 2);
  std::array<utf8proc_uint8_t, 4> buf{};
  for (const CodePoint c : cps) {
    const utf8proc_ssize_t n = utf8proc_encode_char(c, buf.data());
    out.append(reinterpret_cast<const char*>(buf.data()), static_cast<size_t>(n));
  }
  return out;
}

}  // namespace

size_t Utf8Length(std::string_view s) {
  auto cps = Decode(s);
  return cps ? cps->size() : std::string_view::npos;
}

std::optional<std::string> ToNfc(std::string_view s) {
  utf8proc_uint8_t* raw_out = nullptr;
  // Without UTF8PROC_NULLTERM the length is taken as given, so a NUL byte is a code point.
  const utf8proc_ssize_t n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()),
      &raw_out, static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  const std::unique_ptr<utf8proc_uint8_t, FreeDeleter> out(raw_out);
  if (n < 0) return std::nullopt;
  return std::string(reinterpret_cast<const char*>(out.get()), static_cast<size_t>(n));
}

Result<std::string> NormalizeName(std::string_view raw, std::string_view field, size_t max_chars) {
  auto fail = [&](std::string why) {
    return MakeError(Errc::kInvalidArgument, std::string(field),
                     std::string(field) + " " + std::move(why));
  };
  const auto nfc = ToNfc(raw);
  if (!nfc) return fail("is not valid UTF-8");
  const auto cps = Decode(*nfc);
  if (!cps) return fail("is not valid UTF-8");

  auto is_space = [&](CodePoint c) { return Category(c) == UTF8PROC_CATEGORY_ZS; };
  size_t begin = 0;
  size_t end = cps->size();
  while (begin < end && is_space((*cps)[begin])) ++begin;
  while (end > begin && is_space((*cps)[end - 1])) --end;
  if (begin == end) return fail("must not be empty");
  // Trimming cut only at spaces, which never compose with a neighbour, so the rest stays NFC.
  const CodePoints trimmed(cps->begin() + static_cast<std::ptrdiff_t>(begin),
                           cps->begin() + static_cast<std::ptrdiff_t>(end));
  std::string name = Encode(trimmed);

  if (name == "." || name == "..") return fail("must not be '.' or '..'");
  for (size_t i = 0; i < trimmed.size(); ++i) {
    if (const size_t tags = FlagTagSequence(trimmed, i); tags > 0) {
      i += tags - 1;  // An emoji flag such as England's: its tags are part of the picture.
      continue;
    }
    if (std::string why = CodePointProblem(trimmed, i); !why.empty()) return fail(std::move(why));
  }
  if (name.back() == '.') return fail("must not end with '.'");
  if (IsWindowsDeviceName(name)) {
    return fail("is a reserved device name (CON, PRN, AUX, NUL, COM0-9, LPT0-9)");
  }
  if (trimmed.size() > max_chars) {
    return fail("is longer than " + std::to_string(max_chars) + " characters");
  }
  return name;
}

}  // namespace spacestore::domain
