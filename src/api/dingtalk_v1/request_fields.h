#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "base/result.h"
#include "domain/dentry.h"

namespace spacestore::api::dingtalk_v1 {

// Readers for request fields several DingTalk endpoints share. Each failure is
// kInvalidArgument naming the field, which the dialect answers with 400 paramError.

// option.conflictStrategy: AUTO_RENAME (default) | OVERWRITE | RETURN_DENTRY_IF_EXISTS |
// RETURN_ERROR_IF_EXISTS.
Result<domain::ConflictStrategy> ReadConflictStrategy(const boost::json::object* option);

// option.appProperties: [{name*, value*, visibility* PUBLIC|PRIVATE}], owned by `app_id`.
Result<std::vector<domain::AppProperty>> ReadAppProperties(const boost::json::object* option,
                                                           std::string_view app_id);

// A required, non-empty string field.
Result<std::string> ReadRequiredString(const boost::json::object& obj, std::string_view key);

// The object under "option", or nullptr when absent.
Result<const boost::json::object*> ReadOption(const boost::json::object& body);

}  // namespace spacestore::api::dingtalk_v1
