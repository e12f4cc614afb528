// The low-level SHA-256 and MD5 interfaces are deprecated in OpenSSL 3 but remain supported;
// unlike EVP they need no algorithm fetch per call, which matters on the per-request path.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "base/crypto.h"

#include <cstdlib>
#include <cstring>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

namespace spacestore {

std::string HexEncode(std::string_view bytes) {
  static constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    const auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 0xf];
  }
  return out;
}

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest;
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data());
  return HexEncode({reinterpret_cast<const char*>(digest.data()), digest.size()});
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  return HmacSha256Key(key).Sign(data);
}

static_assert(sizeof(SHA256_CTX) == 112, "HmacSha256Key's buffers must hold a SHA256_CTX");

HmacSha256Key::HmacSha256Key(std::string_view key) {
  std::array<unsigned char, SHA256_CBLOCK> block = {};
  if (key.size() > SHA256_CBLOCK) {
    SHA256(reinterpret_cast<const unsigned char*>(key.data()), key.size(), block.data());
  } else {
    std::memcpy(block.data(), key.data(), key.size());
  }
  std::array<unsigned char, SHA256_CBLOCK> pad;
  for (int which = 0; which < 2; ++which) {
    for (size_t i = 0; i < SHA256_CBLOCK; ++i) pad[i] = block[i] ^ (which == 0 ? 0x36 : 0x5c);
    SHA256_CTX ctx;
    SHA256_Init(&ctx);
    SHA256_Update(&ctx, pad.data(), pad.size());
    std::memcpy(which == 0 ? inner_.data() : outer_.data(), &ctx, sizeof ctx);
  }
}

std::string HmacSha256Key::Sign(std::string_view data) const {
  SHA256_CTX ctx;
  std::memcpy(&ctx, inner_.data(), sizeof ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  std::array<unsigned char, SHA256_DIGEST_LENGTH> digest;
  SHA256_Final(digest.data(), &ctx);
  std::memcpy(&ctx, outer_.data(), sizeof ctx);
  SHA256_Update(&ctx, digest.data(), digest.size());
  SHA256_Final(digest.data(), &ctx);
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

std::string Pbkdf2Sha256(std::string_view password, std::string_view salt, int iterations,
                         size_t length) {
  std::string out(length, '\0');
  const int ok =
      PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(length), reinterpret_cast<unsigned char*>(out.data()));
  if (ok != 1) std::abort();  // Only on allocation failure or invalid arguments.
  return out;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) != 1) {
    std::abort();  // No entropy means no safe ids or secrets; refuse to go on.
  }
  return out;
}

Digest::Digest(Kind kind) : ctx_(EVP_MD_CTX_new()) {
  if (ctx_ == nullptr ||
      EVP_DigestInit_ex(ctx_, kind == Kind::kSha256 ? EVP_sha256() : EVP_md5(), nullptr) != 1) {
    std::abort();  // Only fails when out of memory or with a broken OpenSSL.
  }
}

Digest::~Digest() { EVP_MD_CTX_free(ctx_); }

void Digest::Update(std::string_view data) { EVP_DigestUpdate(ctx_, data.data(), data.size()); }

std::string Digest::FinishHex() {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out;
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx_, out.data(), &len);
  return HexEncode({reinterpret_cast<const char*>(out.data()), len});
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace spacestore
