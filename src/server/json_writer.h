#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace spacestore::server {

// A member name spelled in the source, checked when compiled: a string literal with no byte
// JSON would escape. Anything else (a buffer, a name with a quote) does not compile.
class JsonName {
 public:
  template <size_t N>
  consteval JsonName(const char (&name)[N]) : text_(name, N - 1) {  // NOLINT: implicit.
    if (name[N - 1] != '\0') throw "not a string literal";
    for (size_t i = 0; i + 1 < N; ++i) {
      const auto c = static_cast<unsigned char>(name[i]);
      if (c == '\0' || c == '"' || c == '\\' || c < 0x20) throw "a name that needs escaping";
    }
  }
  std::string_view text() const { return text_; }

 private:
  std::string_view text_;
};

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

  // A key from data (an app id, say): escaped as needed.
  template <class T>
  requires(!std::is_array_v<T> &&
           std::is_convertible_v<const T&, std::string_view>) JsonWriter& Key(const T& key) {
    Comma();
    Quoted(std::string_view(key));
    Put(':');
    need_comma_ = false;
    return *this;
  }
  // A key spelled in the source: copied without the escape scan (a 30-dentry reply writes
  // some 600 keys).
  JsonWriter& Key(JsonName key) {
    const std::string_view name = key.text();
    Comma();
    char* out = Reserve(name.size() + 3);
    out[0] = '"';
    std::memcpy(out + 1, name.data(), name.size());
    out[name.size() + 1] = '"';
    out[name.size() + 2] = ':';
    pos_ += name.size() + 3;
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

  // A complete JSON value another JsonWriter wrote (a kept fragment of a reply), copied as it is.
  JsonWriter& Raw(std::string_view json) {
    Comma();
    Put(json);
    need_comma_ = true;
    return *this;
  }

  // Key and value in one call, for the common object member.
  JsonWriter& Member(JsonName key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Member(JsonName key, const char* value) { return Key(key).String(value); }
  JsonWriter& Member(JsonName key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Member(JsonName key, bool value) { return Key(key).Bool(value); }

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
