#include "server/json_writer.h"

#include <algorithm>
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

void JsonWriter::Quoted(std::string_view value) {
  // The serializer escapes exactly '"', '\\' and the control characters; every other byte
  // passes through. Most strings have none of them and are copied as they are.
  const bool plain = std::none_of(value.begin(), value.end(), [](char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  });
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
