// Task parameters as a flat JSON object of strings. Written by hand because the domain links no
// JSON library (the layer rule keeps wire formats out of it); the shape is tiny and fixed, and
// the decoder accepts exactly what JSON allows for it, so an operator's edit of a row still
// reads.
#include "domain/task.h"

#include <cstdio>

namespace spacestore::domain {
namespace {

void AppendQuoted(std::string& out, std::string_view s) {
  out.push_back('"');
  for (const char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

Error Corrupt(std::string_view why) {
  return MakeError(Errc::kInternal, "task", "task parameters are malformed: " + std::string(why));
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// A reader over the text, one JSON token at a time.
class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {}

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool Consume(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool AtEnd() {
    SkipSpace();
    return pos_ == text_.size();
  }

  Result<std::string> String() {
    if (!Consume('"')) return Corrupt("a string was expected");
    std::string out;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return out;
      if (static_cast<unsigned char>(c) < 0x20) return Corrupt("control character in a string");
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= text_.size()) break;
      const char e = text_[pos_++];
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.push_back(e);
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'n':
          out.push_back('\n');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'u': {
          auto cp = Hex4();
          if (!cp) return cp.error();
          uint32_t code = *cp;
          if (code >= 0xD800 && code < 0xDC00) {  // A high surrogate: its pair must follow.
            if (pos_ + 2 > text_.size() || text_[pos_] != '\\' || text_[pos_ + 1] != 'u') {
              return Corrupt("unpaired surrogate");
            }
            pos_ += 2;
            auto low = Hex4();
            if (!low) return low.error();
            if (*low < 0xDC00 || *low >= 0xE000) return Corrupt("unpaired surrogate");
            code = 0x10000 + ((code - 0xD800) << 10) + (*low - 0xDC00);
          } else if (code >= 0xDC00 && code < 0xE000) {
            return Corrupt("unpaired surrogate");
          }
          AppendUtf8(out, code);
          break;
        }
        default:
          return Corrupt("unknown escape");
      }
    }
    return Corrupt("unterminated string");
  }

 private:
  Result<uint32_t> Hex4() {
    if (pos_ + 4 > text_.size()) return Corrupt("short \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = text_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9') {
        v |= static_cast<uint32_t>(h - '0');
      } else if (h >= 'a' && h <= 'f') {
        v |= static_cast<uint32_t>(h - 'a' + 10);
      } else if (h >= 'A' && h <= 'F') {
        v |= static_cast<uint32_t>(h - 'A' + 10);
      } else {
        return Corrupt("bad \\u escape");
      }
    }
    return v;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

std::string EncodeTaskParams(const TaskParams& params) {
  std::string out = "{";
  for (const auto& [name, value] : params) {
    if (out.size() > 1) out.push_back(',');
    AppendQuoted(out, name);
    out.push_back(':');
    AppendQuoted(out, value);
  }
  out.push_back('}');
  return out;
}

Result<TaskParams> DecodeTaskParams(std::string_view text) {
  Reader in(text);
  TaskParams out;
  if (!in.Consume('{')) return Corrupt("an object was expected");
  if (!in.Consume('}')) {
    do {
      auto name = in.String();
      if (!name) return name.error();
      if (!in.Consume(':')) return Corrupt("':' was expected");
      auto value = in.String();
      if (!value) return value.error();
      if (!out.emplace(std::move(*name), std::move(*value)).second) {
        return Corrupt("a name is repeated");
      }
    } while (in.Consume(','));
    if (!in.Consume('}')) return Corrupt("'}' was expected");
  }
  if (!in.AtEnd()) return Corrupt("text after the object");
  return out;
}

Result<std::string> TaskParam(const TaskParams& params, std::string_view name) {
  const auto it = params.find(name);
  if (it == params.end()) return Corrupt("no " + std::string(name));
  return it->second;
}

}  // namespace spacestore::domain
