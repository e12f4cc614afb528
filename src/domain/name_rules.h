#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "base/result.h"

namespace spacestore::domain {

// The rules for space, file and folder names, in both dialects (docs/api/dingtalk-v1.md,
// "Names"). A name is one segment of a dentry's `path`, and sync clients write it to Windows,
// macOS and Linux disks, so every accepted name is a valid file name on all three and means
// the same file there:
//  - it is valid UTF-8, normalized to NFC (so "é" and "e" + U+0301 are one name);
//  - leading and trailing spaces (U+0020 and every other space separator, Zs) are trimmed;
//  - it is not "." or "..", does not end with '.', and contains no '/' or '\';
//  - it contains no control character (Cc: tab, newline, U+007F, U+0080..U+009F), none of
//    : * ? " < > |, no line or paragraph separator, no unassigned code point or noncharacter;
//  - it contains no invisible character: format characters (Cf: bidi controls, zero-width
//    space, U+FEFF, soft hyphen, ...) and other default-ignorable code points (Hangul fillers,
//    ...) are refused, except a zero-width joiner inside an emoji sequence or after a virama,
//    a zero-width non-joiner between two letters of a script that joins (category Lo) or after
//    a virama, tag characters inside an emoji flag tag sequence, and variation selectors after
//    a visible character;
//  - it does not begin with a combining mark, and is not a Windows device name (CON, PRN, AUX,
//    NUL, COM0-9, LPT0-9, alone or before an extension);
//  - it has 1..max_chars code points after all of the above.
// Unicode data (categories, normalization) come from utf8proc; its Unicode version decides
// which code points are assigned.
//
// Returns the normalized name (what is stored and returned to clients), or kInvalidArgument
// with `field` as the subject and a message saying which rule failed.
// Thread-safety: a pure function; safe to call from any thread.
Result<std::string> NormalizeName(std::string_view raw, std::string_view field, size_t max_chars);

// Number of code points in `s`, or npos if it is not valid UTF-8 (overlong forms, surrogates
// and code points past U+10FFFF are invalid).
size_t Utf8Length(std::string_view s);

// `s` in Unicode Normalization Form C, or nullopt if it is not valid UTF-8.
std::optional<std::string> ToNfc(std::string_view s);

}  // namespace spacestore::domain
