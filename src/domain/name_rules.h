#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.h"

namespace spacestore::domain {

// The naming rules the DingTalk reference gives for space, file and folder names: leading and
// trailing spaces are trimmed silently; tab, control characters and * " < > | are forbidden;
// a name must not end with '.'; it must be valid UTF-8 of 1..max_chars code points.
//
// Returns the normalized name, or kInvalidArgument with `field` as the subject.
Result<std::string> NormalizeName(std::string_view raw, std::string_view field, size_t max_chars);

// Number of UTF-8 code points in `s`, or npos if it is not valid UTF-8.
size_t Utf8Length(std::string_view s);

}  // namespace spacestore::domain
