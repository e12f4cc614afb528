#include "server/json_writer.h"

#include <algorithm>
#include <array>
#include <charconv>

#include <boost/json/serializer.hpp>

namespace spacestore::server {

JsonWriter& JsonWriter::Int(int64_t value) {
  Comma();
  char* out = Reserve(20);  // Enough for any int64, sign included.
  pos_ = static_cast<size_t>(std::to_chars(out, out + 20, value).ptr - buf_.data());
  need_comma_ = true;
  return *this;
}

void JsonWriter::QuotedEscaped(std::string_view text) {
  boost::json::serializer sr;
  sr.reset(text);
  std::array<char, 256> chunk;
  while (!sr.done()) Put(sr.read(chunk.data(), chunk.size()));
}

void JsonWriter::Grow(size_t n) { buf_.resize(std::max(buf_.size() * 2, pos_ + n)); }

}  // namespace spacestore::server
