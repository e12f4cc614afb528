#pragma once

#include <cstddef>
#include <string>

namespace spacestore {

// Server-generated identifiers. Every id uses only [A-Za-z0-9] (a subset of the URL-safe
// set the DingTalk SDK needs, since it inserts path parameters verbatim). Thread-safe.

// `length` random characters from [A-Za-z0-9].
std::string RandomAlnumId(size_t length);

// `length` random decimal digits, the first one non-zero: DingTalk's numeric-looking ids.
std::string RandomDigitsId(size_t length);

// A request id in UUID shape, upper-case hex ("5A3C9E1F-0B1C-4D2E-8F90-A1B2C3D4E5F6"). Cheap:
// a per-process random prefix plus a counter, so it costs no system call per request.
std::string NewRequestId();

}  // namespace spacestore
