// The row helpers of the SQL backends that need no statement: errors, scopes, the app
// properties column and the event body column.
#include "storage/metadata/sql/sql_rows.h"

#include <charconv>
#include <sstream>

namespace spacestore::storage::sql {

Error NotFound(const std::string& subject, std::string_view id) {
  return MakeError(Errc::kNotFound, subject, subject + " " + std::string(id) + " not found");
}

Error Subject(Error e, std::string subject) {
  if (e.code == Errc::kAlreadyExists || e.code == Errc::kNotFound) e.subject = std::move(subject);
  return e;
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const auto& s : scopes) out += (out.empty() ? "" : " ") + s;
  return out;
}

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string s; in >> s;) out.push_back(s);
  return out;
}

namespace {

void PutField(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

bool TakeField(std::string_view& text, std::string& field) {
  const size_t colon = text.find(':');
  if (colon == std::string_view::npos) return false;
  size_t len = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + colon, len);
  if (ec != std::errc() || p != text.data() + colon || colon + 1 + len > text.size()) return false;
  field = std::string(text.substr(colon + 1, len));
  text.remove_prefix(colon + 1 + len);
  return true;
}

}  // namespace

std::string EncodeAppProperties(const std::vector<domain::AppProperty>& props) {
  std::string out;
  for (const auto& p : props) {
    PutField(out, p.app_id);
    PutField(out, p.name);
    PutField(out, p.value);
    PutField(out, p.is_public ? "1" : "0");
  }
  return out;
}

std::vector<domain::AppProperty> DecodeAppProperties(std::string_view text) {
  std::vector<domain::AppProperty> out;
  while (!text.empty()) {
    domain::AppProperty p;
    std::string visibility;
    if (!TakeField(text, p.app_id) || !TakeField(text, p.name) || !TakeField(text, p.value) ||
        !TakeField(text, visibility)) {
      break;  // Written only by EncodeAppProperties; a torn value cannot happen.
    }
    p.is_public = visibility == "1";
    out.push_back(std::move(p));
  }
  return out;
}

std::string EncodeEventBody(const domain::EventBody& body) {
  std::string out;
  for (const auto& f : body) {
    PutField(out, f.name);
    if (const auto* text = std::get_if<std::string>(&f.value)) {
      PutField(out, "s");
      PutField(out, *text);
    } else if (const auto* number = std::get_if<int64_t>(&f.value)) {
      PutField(out, "i");
      PutField(out, std::to_string(*number));
    } else {
      PutField(out, "b");
      PutField(out, std::get<bool>(f.value) ? "1" : "0");
    }
  }
  return out;
}

domain::EventBody DecodeEventBody(std::string_view text) {
  domain::EventBody out;
  while (!text.empty()) {
    domain::EventField f;
    std::string tag;
    std::string value;
    if (!TakeField(text, f.name) || !TakeField(text, tag) || !TakeField(text, value)) {
      break;  // Written only by EncodeEventBody.
    }
    if (tag == "s") {
      f.value = std::move(value);
    } else if (tag == "i") {
      int64_t number = 0;
      const auto parsed = std::from_chars(value.data(), value.data() + value.size(), number);
      f.value = parsed.ec == std::errc() ? number : int64_t{0};
    } else {
      f.value = value == "1";
    }
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace spacestore::storage::sql
