#include "api/dingtalk_v1/request_fields.h"

#include <boost/json/array.hpp>

#include "server/json_body.h"

namespace spacestore::api::dingtalk_v1 {

namespace json = boost::json;

Result<domain::ConflictStrategy> ReadConflictStrategy(const json::object* option) {
  if (option == nullptr) return domain::ConflictStrategy::kAutoRename;
  auto text = server::GetString(*option, "conflictStrategy");
  if (!text) return text.error();
  if (!*text || **text == "AUTO_RENAME") return domain::ConflictStrategy::kAutoRename;
  if (**text == "OVERWRITE") return domain::ConflictStrategy::kOverwrite;
  if (**text == "RETURN_DENTRY_IF_EXISTS") return domain::ConflictStrategy::kReturnExisting;
  if (**text == "RETURN_ERROR_IF_EXISTS") return domain::ConflictStrategy::kFail;
  return MakeError(Errc::kInvalidArgument, "conflictStrategy",
                   "conflictStrategy must be AUTO_RENAME, OVERWRITE, RETURN_DENTRY_IF_EXISTS or "
                   "RETURN_ERROR_IF_EXISTS");
}

Result<std::vector<domain::AppProperty>> ReadAppProperties(const json::object* option,
                                                           std::string_view app_id) {
  std::vector<domain::AppProperty> out;
  if (option == nullptr) return out;
  const auto it = option->find("appProperties");
  if (it == option->end() || it->value().is_null()) return out;
  const Error bad = MakeError(Errc::kInvalidArgument, "appProperties",
                              "appProperties must be [{name, value, visibility}]");
  if (!it->value().is_array()) return bad;
  for (const json::value& item : it->value().as_array()) {
    if (!item.is_object()) return bad;
    const json::object& o = item.as_object();
    auto name = server::GetString(o, "name");
    auto value = server::GetString(o, "value");
    auto visibility = server::GetString(o, "visibility");
    if (!name || !value || !visibility || !*name || !*value || !*visibility) return bad;
    if (**visibility != "PUBLIC" && **visibility != "PRIVATE") return bad;
    out.push_back(
        domain::AppProperty{std::string(app_id), **name, **value, **visibility == "PUBLIC"});
  }
  return out;
}

Result<std::string> ReadRequiredString(const json::object& obj, std::string_view key) {
  auto v = server::GetString(obj, key);
  if (!v) return v.error();
  if (!*v || (*v)->empty()) {
    return MakeError(Errc::kInvalidArgument, std::string(key), std::string(key) + " is required");
  }
  return std::move(**v);
}

Result<const json::object*> ReadOption(const json::object& body) {
  return server::GetObject(body, "option");
}

}  // namespace spacestore::api::dingtalk_v1
