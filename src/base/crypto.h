#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

// OpenSSL's digest context, declared here so this header stays free of OpenSSL's.
struct evp_md_ctx_st;

namespace spacestore {

// Thin, allocation-light wrappers over OpenSSL. All functions are thread-safe.

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

// Raw 32-byte HMAC-SHA256 of `data` under `key`.
std::string HmacSha256(std::string_view key, std::string_view data);

// HmacSha256Key is an HMAC-SHA256 key with its inner and outer hash states computed once, so
// each signature costs two compression rounds and no allocation: tokens and signed URLs are
// checked on every request.
// Thread-safety: immutable after construction; Sign may be called concurrently.
class HmacSha256Key {
 public:
  explicit HmacSha256Key(std::string_view key);
  // Raw 32-byte HMAC-SHA256 of `data`.
  std::string Sign(std::string_view data) const;

 private:
  // OpenSSL SHA256_CTX values (plain structs of 112 bytes), kept opaque so this header needs
  // no OpenSSL include.
  alignas(8) std::array<unsigned char, 112> inner_ = {};
  alignas(8) std::array<unsigned char, 112> outer_ = {};
};

// Lower-case hex encoding of arbitrary bytes.
std::string HexEncode(std::string_view bytes);

// Raw `length`-byte PBKDF2-HMAC-SHA256 of `password` with `salt` over `iterations` rounds
// (OpenSSL PKCS5_PBKDF2_HMAC): a deliberately slow hash for passwords people choose.
// REQUIRES: iterations >= 1, length >= 1.
std::string Pbkdf2Sha256(std::string_view password, std::string_view salt, int iterations,
                         size_t length);

// `n` cryptographically random bytes. Aborts if the system RNG fails (a broken host).
std::string RandomBytes(size_t n);

// Incremental digest ("sha256" or "md5") for content streamed in chunks.
// Thread-safety: not thread-safe; one owner.
class Digest {
 public:
  enum class Kind { kSha256, kMd5 };
  explicit Digest(Kind kind);
  ~Digest();
  Digest(const Digest&) = delete;
  Digest& operator=(const Digest&) = delete;
  void Update(std::string_view data);
  // Lower-case hex of everything updated so far; the digest cannot be updated afterwards.
  std::string FinishHex();

 private:
  ::evp_md_ctx_st* ctx_;
};

// Compares in time independent of where the inputs first differ (for MACs and secrets).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace spacestore
