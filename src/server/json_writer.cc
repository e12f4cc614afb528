#include "server/json_writer.h"

#include <array>
#include <charconv>

#include <boost/json/serializer.hpp>

namespace spacestore::server {

void JsonWriter::Comma() {
  if (need_comma_) out_ += ',';
}

JsonWriter& JsonWriter::Open(char bracket) {
  Comma();
  out_ += bracket;
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::Close(char bracket) {
  out_ += bracket;
  need_comma_ = true;
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  Comma();
  Quoted(key);
  out_ += ':';
  need_comma_ = false;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view value) {
  Comma();
  Quoted(value);
  need_comma_ = true;
  return *this;
}

namespace {

// The bytes boost::json::serializer escapes: '"', '\\' and the control characters. Every
// other byte passes through as it is.
constexpr auto kEscaped = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = true;
  table['"'] = true;
  table['\\'] = true;
  return table;
}();

}  // namespace

void JsonWriter::Quoted(std::string_view value) {
  // Most strings need no escaping and are copied whole; a table lookup per byte is the
  // cheapest check that does not need SIMD.
  bool plain = true;
  for (const char c : value) plain &= !kEscaped[static_cast<unsigned char>(c)];
  if (plain) {
    out_ += '"';
    out_ += value;
    out_ += '"';
    return;
  }
  boost::json::serializer sr;
  sr.reset(value);
  char buf[256];
  while (!sr.done()) out_ += sr.read(buf);
}

JsonWriter& JsonWriter::Int(int64_t value) {
  Comma();
  need_comma_ = true;
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, value).ptr;
  out_.append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  Comma();
  need_comma_ = true;
  out_ += value ? "true" : "false";
  return *this;
}

}  // namespace spacestore::server
