#include "domain/name_rules.h"

namespace spacestore::domain {

size_t Utf8Length(std::string_view s) {
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++count) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t len = 0;
    if (c < 0x80) {
      len = 1;
    } else if ((c >> 5) == 0x6) {
      len = 2;
    } else if ((c >> 4) == 0xE) {
      len = 3;
    } else if ((c >> 3) == 0x1E) {
      len = 4;
    } else {
      return std::string_view::npos;
    }
    if (i + len > s.size()) return std::string_view::npos;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return std::string_view::npos;
    }
    i += len;
  }
  return count;
}

Result<std::string> NormalizeName(std::string_view raw, std::string_view field, size_t max_chars) {
  auto fail = [&](std::string why) {
    return MakeError(Errc::kInvalidArgument, std::string(field),
                     std::string(field) + " " + std::move(why));
  };
  const size_t begin = raw.find_first_not_of(' ');
  if (begin == std::string_view::npos) return fail("must not be empty");
  const std::string_view name = raw.substr(begin, raw.find_last_not_of(' ') - begin + 1);
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7F || c == '*' || c == '"' || c == '<' || c == '>' || c == '|') {
      return fail("contains a forbidden character (tab, control, * \" < > |)");
    }
  }
  if (name.back() == '.') return fail("must not end with '.'");
  const size_t length = Utf8Length(name);
  if (length == std::string_view::npos) return fail("is not valid UTF-8");
  if (length > max_chars) {
    return fail("is longer than " + std::to_string(max_chars) + " characters");
  }
  return std::string(name);
}

}  // namespace spacestore::domain
