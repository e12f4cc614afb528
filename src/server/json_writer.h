#pragma once

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace spacestore::server {

// JsonWriter writes one compact JSON document, in the order it is told, without building a
// tree. It exists for the hot replies (a space, a batch of 30 dentries, a page of 50):
// building their boost::json tree cost more than the database query behind them. Strings
// come out byte for byte as boost::json::serialize writes them.
//
// The caller keeps the structure well formed (Key before each member value, matching
// Begin/End); the writer places the commas and escapes keys and strings. The small calls are
// inline: a reply is hundreds of them.
// Thread-safety: none; one writer per reply.
class JsonWriter {
 public:
  // `capacity` is a first guess at the document's size; the buffer grows as needed.
  explicit JsonWriter(size_t capacity = 1024) { buf_.resize(capacity); }

  // The document written so far; the writer is spent.
  std::string Finish() && {
    buf_.resize(pos_);
    return std::move(buf_);
  }

  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }

  JsonWriter& Key(std::string_view key) {
    Comma();
    Quoted(key);
    Put(':');
    need_comma_ = false;
    return *this;
  }
  // A key spelled in the source. Such names never need escaping, so the bytes are copied
  // without the scan (a 30-dentry reply writes some 600 keys).
  template <size_t N>
  JsonWriter& Key(const char (&key)[N]) {
    assert(IsPlainName(std::string_view(key, N - 1)) && "a plain literal, not a buffer");
    Comma();
    char* out = Reserve(N + 2);
    out[0] = '"';
    std::memcpy(out + 1, key, N - 1);
    out[N] = '"';
    out[N + 1] = ':';
    pos_ += N + 2;
    need_comma_ = false;
    return *this;
  }
  JsonWriter& String(std::string_view value) {
    Comma();
    Quoted(value);
    need_comma_ = true;
    return *this;
  }
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value) {
    Comma();
    Put(value ? std::string_view("true") : std::string_view("false"));
    need_comma_ = true;
    return *this;
  }

  // Key and value in one call, for the common object member.
  JsonWriter& Member(std::string_view key, std::string_view value) {
    return Key(key).String(value);
  }
  JsonWriter& Member(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Member(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Member(std::string_view key, bool value) { return Key(key).Bool(value); }
  template <size_t N>
  JsonWriter& Member(const char (&key)[N], std::string_view value) {
    return Key(key).String(value);
  }
  template <size_t N>
  JsonWriter& Member(const char (&key)[N], const char* value) {
    return Key(key).String(value);
  }
  template <size_t N>
  JsonWriter& Member(const char (&key)[N], int64_t value) {
    return Key(key).Int(value);
  }
  template <size_t N>
  JsonWriter& Member(const char (&key)[N], bool value) {
    return Key(key).Bool(value);
  }

 private:
  JsonWriter& Open(char bracket) {
    Comma();
    Put(bracket);
    need_comma_ = false;
    return *this;
  }
  JsonWriter& Close(char bracket) {
    Put(bracket);
    need_comma_ = true;
    return *this;
  }
  void Comma() {
    if (need_comma_) Put(',');
  }

  // "text": copied as it is unless a byte needs escaping.
  void Quoted(std::string_view text) {
    char* out = Reserve(text.size() + 2);
    for (const char c : text) {
      if (NeedsEscape(c)) return QuotedEscaped(text);
    }
    out[0] = '"';
    std::memcpy(out + 1, text.data(), text.size());
    out[text.size() + 1] = '"';
    pos_ += text.size() + 2;
  }
  void QuotedEscaped(std::string_view text);  // The slow path, by boost::json's serializer.

  // The bytes boost::json::serializer escapes: '"', '\\' and the control characters.
  static bool NeedsEscape(char c) {
    return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
  }
  static bool IsPlainName(std::string_view name) {
    for (const char c : name) {
      if (c == '\0' || NeedsEscape(c)) return false;
    }
    return true;
  }

  // Room for `n` more bytes at the write position.
  char* Reserve(size_t n) {
    if (buf_.size() - pos_ < n) Grow(n);
    return buf_.data() + pos_;
  }
  void Grow(size_t n);
  void Put(char c) {
    *Reserve(1) = c;
    ++pos_;
  }
  void Put(std::string_view s) {
    std::memcpy(Reserve(s.size()), s.data(), s.size());
    pos_ += s.size();
  }

  std::string buf_;  // Its size is the capacity; [0, pos_) is written.
  size_t pos_ = 0;
  bool need_comma_ = false;  // A value or a member has been written at this level.
};

}  // namespace spacestore::server
