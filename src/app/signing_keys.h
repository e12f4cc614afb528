#pragma once

#include <functional>
#include <optional>
#include <string>

#include "base/result.h"

namespace spacestore::app {

// The HMAC keys that sign access tokens and /blobs/ URLs, when the operator keeps them outside
// the data directory (docs/security.md, "Signing keys"). Then they are used as given and never
// written to the metadata store; without them the store's settings token_key and url_key are
// used (created on first start).
struct SigningKeys {
  std::string token_key;  // Signs and verifies access tokens.
  std::string url_key;    // Signs and verifies /blobs/ URLs.
  // Accepted for verification only, during a rotation's grace (see IdentityOptions and
  // UrlSigner). Empty: none, so what the old keys signed stops at once.
  std::string previous_token_key;
  std::string previous_url_key;
  // Where they came from, for the startup log: "keys file <path>", "environment" or both.
  // Never the keys themselves.
  std::string source;
};

// Reads a value of the process environment; nullptr when unset. Injected for tests.
using GetEnv = std::function<const char*(const char*)>;

// Keys from `keys_file` (empty: none) and the environment variables SPACESTORE_TOKEN_KEY,
// SPACESTORE_URL_KEY, SPACESTORE_PREVIOUS_TOKEN_KEY and SPACESTORE_PREVIOUS_URL_KEY. The file is
// one JSON object with the members token_key, url_key, previous_token_key and
// previous_url_key (strings; any other member is refused, so a typo cannot leave a key unset).
// nullopt when neither gives a key. kInvalidArgument (subject "keys") when:
//   - the file cannot be read, is not such an object, gives no key, or is larger than 64 KiB;
//   - the file is readable by others, writable by group or others, or owned by another user
//     than the process's or root (its message names the chmod that fixes it);
//   - a key is given both in the file and in the environment;
//   - token_key or url_key is missing while any key is given, or a previous key lacks its
//     current one;
//   - a key is shorter than 32 or longer than 1024 bytes, or holds a space or control
//     character (a pasted newline), or token_key equals url_key.
// Messages name keys, never their values. Pure apart from reading the file and calling
// `get_env`; thread-safe as far as `get_env` is.
Result<std::optional<SigningKeys>> LoadSigningKeys(const std::string& keys_file,
                                                   const GetEnv& get_env);

}  // namespace spacestore::app
