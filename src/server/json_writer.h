#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace spacestore::server {

// JsonWriter appends one compact JSON document to a string, in the order it is told, without
// building a tree. It exists for the large replies (a batch of 30 dentries, a page of 50):
// building their boost::json tree cost more than the database query behind them. Strings
// come out byte for byte as boost::json::serialize writes them.
//
// The caller keeps the structure well formed (Key before each member value, matching
// Begin/End); the writer places the commas and escapes keys and strings.
// Thread-safety: none; one writer per reply. Borrows `out`, which must outlive it.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);

  // Key and value in one call, for the common object member.
  JsonWriter& Member(std::string_view key, std::string_view value) {
    return Key(key).String(value);
  }
  JsonWriter& Member(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Member(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Member(std::string_view key, bool value) { return Key(key).Bool(value); }

 private:
  JsonWriter& Open(char bracket);
  JsonWriter& Close(char bracket);
  void Comma();
  void Quoted(std::string_view text);  // "text", escaped.

  std::string& out_;
  bool need_comma_ = false;  // A value or a member has been written at this level.
};

}  // namespace spacestore::server
