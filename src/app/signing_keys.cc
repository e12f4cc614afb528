// LoadSigningKeys: the signing keys from a keys file and the environment.
//
// The file is JSON, parsed by Boost.JSON (no hand-written parser), and checked like ssh checks
// a private key: a key file others can read is refused rather than used, because using it
// would make the data dir's protection moot. Group read stays allowed for secrets mounted with
// a shared group (0640, root or the service user as owner). Keys are not accepted as flags:
// a command line is visible to every local user in ps.
#include "app/signing_keys.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>

#include <fmt/format.h>
#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace spacestore::app {
namespace {

constexpr size_t kMinKeyBytes = 32;
constexpr size_t kMaxKeyBytes = 1024;
constexpr off_t kMaxFileBytes = off_t{64} * 1024;

// One key: its member in the keys file, its environment variable, where it goes.
struct KeySlot {
  const char* member;
  const char* env;
  std::string SigningKeys::*field;
};

constexpr std::array<KeySlot, 4> kSlots = {{
    {"token_key", "SPACESTORE_TOKEN_KEY", &SigningKeys::token_key},
    {"url_key", "SPACESTORE_URL_KEY", &SigningKeys::url_key},
    {"previous_token_key", "SPACESTORE_PREVIOUS_TOKEN_KEY", &SigningKeys::previous_token_key},
    {"previous_url_key", "SPACESTORE_PREVIOUS_URL_KEY", &SigningKeys::previous_url_key},
}};

Error Bad(const std::string& message) { return MakeError(Errc::kInvalidArgument, "keys", message); }

Result<void> CheckFileModes(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return Bad(fmt::format("cannot read keys file {}: {}", path, std::strerror(errno)));
  }
  if (!S_ISREG(st.st_mode)) return Bad("keys file " + path + " is not a regular file");
  if (st.st_uid != ::geteuid() && st.st_uid != 0) {
    return Bad(
        fmt::format("keys file {} is owned by uid {}, neither this process's (uid {}) "
                    "nor root's",
                    path, st.st_uid, ::geteuid()));
  }
  if ((st.st_mode & (S_IROTH | S_IWOTH | S_IXOTH | S_IWGRP)) != 0) {
    return Bad(
        fmt::format("keys file {} is readable or writable by others (mode {:04o}); run: "
                    "chmod 0600 {}",
                    path, st.st_mode & 07777, path));
  }
  if (st.st_size > kMaxFileBytes) return Bad("keys file " + path + " is larger than 64 KiB");
  return {};
}

Result<void> ReadFile(const std::string& path, SigningKeys& keys) {
  if (auto ok = CheckFileModes(path); !ok) return ok.error();
  std::ifstream in(path, std::ios::binary);
  if (!in) return Bad(fmt::format("cannot read keys file {}: {}", path, std::strerror(errno)));
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  boost::system::error_code ec;
  const boost::json::value doc = boost::json::parse(text, ec);
  const std::string not_object =
      "keys file " + path +
      " must be one JSON object of strings: token_key, url_key, previous_token_key, "
      "previous_url_key";
  if (ec || !doc.is_object()) return Bad(not_object);
  for (const auto& member : doc.as_object()) {
    const KeySlot* slot = nullptr;
    for (const auto& s : kSlots) {
      if (member.key() == s.member) slot = &s;
    }
    if (slot == nullptr) {
      return Bad(fmt::format("keys file {} has an unknown member '{}'", path,
                             std::string_view(member.key())));
    }
    if (!member.value().is_string()) return Bad(not_object);
    keys.*(slot->field) = std::string(member.value().as_string());
  }
  return {};
}

Result<void> CheckKey(const char* name, const std::string& key) {
  if (key.size() < kMinKeyBytes || key.size() > kMaxKeyBytes) {
    return Bad(fmt::format("{} must be {} to {} bytes long (e.g. `openssl rand -hex 32`)", name,
                           kMinKeyBytes, kMaxKeyBytes));
  }
  for (const char c : key) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return Bad(fmt::format("{} holds a space or control character", name));
    }
  }
  return {};
}

}  // namespace

Result<std::optional<SigningKeys>> LoadSigningKeys(const std::string& keys_file,
                                                   const GetEnv& get_env) {
  SigningKeys keys;
  if (!keys_file.empty()) {
    if (auto ok = ReadFile(keys_file, keys); !ok) return ok.error();
  }
  bool from_env = false;
  for (const auto& slot : kSlots) {
    const char* value = get_env(slot.env);
    if (value == nullptr || *value == '\0') continue;
    if (!(keys.*(slot.field)).empty()) {
      return Bad(fmt::format("{} is given both in the keys file and in {}; give it once",
                             slot.member, slot.env));
    }
    keys.*(slot.field) = value;
    from_env = true;
  }
  bool any = false;
  for (const auto& slot : kSlots) any = any || !(keys.*(slot.field)).empty();
  if (!any && !keys_file.empty()) return Bad("keys file " + keys_file + " gives no key");
  if (!any) return std::optional<SigningKeys>();

  if (keys.token_key.empty() || keys.url_key.empty()) {
    return Bad(
        "token_key and url_key must both be given once either key is (keys file or "
        "SPACESTORE_TOKEN_KEY and SPACESTORE_URL_KEY)");
  }
  for (const auto& slot : kSlots) {
    const std::string& key = keys.*(slot.field);
    if (key.empty()) continue;
    if (auto ok = CheckKey(slot.member, key); !ok) return ok.error();
  }
  if (keys.token_key == keys.url_key) return Bad("token_key and url_key must differ");
  if (!keys_file.empty() && from_env) {
    keys.source = "keys file " + keys_file + " and environment";
  } else {
    keys.source = keys_file.empty() ? "environment" : "keys file " + keys_file;
  }
  return std::optional<SigningKeys>(std::move(keys));
}

}  // namespace spacestore::app
