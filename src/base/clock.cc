#include "base/clock.h"

#include <chrono>
#include <cstring>

#include <fmt/format.h>

namespace spacestore {

int64_t SystemClock::NowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

struct Civil {
  int64_t year;
  unsigned month, day, hour, minute, second, millis;
};

// Epoch milliseconds to a UTC civil time, with Howard Hinnant's days-to-civil algorithm:
// no gmtime_r, which takes glibc's timezone lock on every call (this runs for every field of
// every listed dentry).
Civil ToCivil(int64_t epoch_millis) {
  int64_t seconds = epoch_millis / 1000;
  int64_t millis = epoch_millis % 1000;
  if (millis < 0) {
    millis += 1000;
    --seconds;
  }
  int64_t days = seconds / 86400;
  int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const auto doe = static_cast<unsigned>(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned day = doy - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = static_cast<int64_t>(yoe) + era * 400 + (month <= 2 ? 1 : 0);
  return Civil{year,
               month,
               day,
               static_cast<unsigned>(rem / 3600),
               static_cast<unsigned>(rem % 3600 / 60),
               static_cast<unsigned>(rem % 60),
               static_cast<unsigned>(millis)};
}

// Writes `value` as `width` decimal digits at `out`.
void Digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// Writes the ISO-8601 text of `epoch_millis` into `out` (IsoText's capacity); returns its size.
size_t FormatTo(char* out, int64_t epoch_millis, bool with_millis) {
  const Civil c = ToCivil(epoch_millis);
  if (c.year < 0 || c.year > 9999) {  // Outside what four digits hold; never in practice.
    return fmt::format_to_n(out, IsoText::kCapacity, "{}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.year,
                            c.month, c.day, c.hour, c.minute, c.second)
        .size;
  }
  const std::string_view pattern =
      with_millis ? "0000-00-00T00:00:00.000Z" : "0000-00-00T00:00:00Z";
  std::memcpy(out, pattern.data(), pattern.size());
  Digits(&out[0], static_cast<unsigned>(c.year), 4);
  Digits(&out[5], c.month, 2);
  Digits(&out[8], c.day, 2);
  Digits(&out[11], c.hour, 2);
  Digits(&out[14], c.minute, 2);
  Digits(&out[17], c.second, 2);
  if (with_millis) Digits(&out[20], c.millis, 3);
  return pattern.size();
}

}  // namespace

IsoText IsoSecondsText(int64_t epoch_millis) {
  IsoText t;
  t.size_ = FormatTo(t.data_.data(), epoch_millis, false);
  return t;
}

std::string FormatIsoSeconds(int64_t epoch_millis) {
  return std::string(IsoSecondsText(epoch_millis).view());
}

std::string FormatIsoMillis(int64_t epoch_millis) {
  IsoText t;
  t.size_ = FormatTo(t.data_.data(), epoch_millis, true);
  return std::string(t.view());
}

}  // namespace spacestore
