#include "storage/metadata/postgres/pg_rows.h"

#include <charconv>
#include <sstream>

namespace spacestore::storage::pg {

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

namespace {

std::vector<std::string> SplitScopes(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string s; in >> s;) out.push_back(s);
  return out;
}

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

domain::Org ReadOrg(const Statement& st) {
  return domain::Org{st.Text(0), st.Text(1), st.Int(2), st.Int(3)};
}

domain::App ReadApp(const Statement& st) {
  return domain::App{st.Text(0),        st.Text(1), st.Text(2),
                     st.Text(3),        st.Text(4), SplitScopes(st.Text(5)),
                     st.OptionalInt(6), st.Int(7),  st.Int(8)};
}

domain::User ReadUser(const Statement& st) {
  return domain::User{st.Text(0), st.Text(1), st.Text(2), st.Int(3)};
}

domain::Space ReadSpace(const Statement& st) {
  domain::Space s;
  s.id = st.Text(0);
  s.corp_id = st.Text(1);
  s.app_id = st.Text(2);
  s.name = st.Text(3);
  s.owner_type = static_cast<domain::OwnerType>(st.Int(4));
  s.kind = static_cast<domain::SpaceKind>(st.Int(5));
  s.owner_id = st.Text(6);
  s.creator_id = st.Text(7);
  s.modifier_id = st.Text(8);
  s.used_bytes = st.Int(9);
  s.quota_bytes = st.OptionalInt(10);
  s.disabled = st.Int(11) != 0;
  s.scene = st.Text(12);
  s.scene_id = st.Text(13);
  s.capabilities = {st.Int(14) != 0, st.Int(15) != 0, st.Int(16) != 0};
  s.create_time = st.Int(17);
  s.modified_time = st.Int(18);
  s.reserved_bytes = st.Int(19);
  s.dentry_generation = st.Int(20);
  return s;
}

domain::Dentry ReadDentry(const Statement& st) {
  domain::Dentry d;
  d.id = st.Text(0);
  d.space_id = st.Text(1);
  d.parent_id = st.Text(2);
  d.uuid = st.Text(3);
  d.type = static_cast<domain::DentryType>(st.Int(4));
  d.name = st.Text(5);
  // Column 6, `path`, is unused since migration 4: paths are computed (domain::FolderPaths).
  d.size = st.Int(7);
  d.version = st.Int(8);
  d.status = static_cast<domain::DentryStatus>(st.Int(9));
  d.creator_id = st.Text(10);
  d.modifier_id = st.Text(11);
  d.create_time = st.Int(12);
  d.modified_time = st.Int(13);
  d.read_only = st.Int(14) != 0;
  d.blob_id = st.Text(15);
  d.app_properties = DecodeAppProperties(st.Text(16));
  return d;
}

void BindDentry(Statement& st, const domain::Dentry& d) {
  st.Bind(1, d.id)
      .Bind(2, d.space_id)
      .Bind(3, d.parent_id)
      .Bind(4, d.uuid)
      .Bind(5, static_cast<int64_t>(d.type))
      .Bind(6, d.name)
      .Bind(7, std::string_view(""))  // `path`: unused since migration 4, always ''.
      .Bind(8, d.size)
      .Bind(9, d.version)
      .Bind(10, static_cast<int64_t>(d.status))
      .Bind(11, d.creator_id)
      .Bind(12, d.modifier_id)
      .Bind(13, d.create_time)
      .Bind(14, d.modified_time)
      .Bind(15, int64_t{d.read_only})
      .Bind(16, d.blob_id)
      .Bind(17, EncodeAppProperties(d.app_properties));
}

domain::UploadSession ReadUpload(const Statement& st) {
  domain::UploadSession u;
  u.key = st.Text(0);
  u.corp_id = st.Text(1);
  u.space_id = st.Text(2);
  u.app_id = st.Text(3);
  u.creator_id = st.Text(4);
  u.multipart = st.Int(5) != 0;
  u.state = static_cast<domain::UploadSession::State>(st.Int(6));
  u.declared_size = st.Int(7);
  u.reserved_bytes = st.Int(8);
  u.expected_md5 = st.Text(9);
  u.blob_id = st.Text(10);
  u.blob_size = st.Int(11);
  u.blob_md5 = st.Text(12);
  u.create_time = st.Int(13);
  u.expire_time = st.Int(14);
  return u;
}

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
      break;  // Written only by EncodeAppProperties; a torn value cannot happen in PostgreSQL.
    }
    p.is_public = visibility == "1";
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace spacestore::storage::pg
