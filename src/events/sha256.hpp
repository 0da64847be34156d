#pragma once
/// SHA-256 (FIPS 180-4) through OpenSSL's libcrypto, which uses the CPU's SHA extensions.

#include "tascade/event_record.hpp"

#include <string_view>

namespace tascade {

/// The SHA-256 digest of `bytes`.
sha256_digest sha256(std::string_view bytes);

/// Lowercase hex SHA-256 of `bytes`.
std::string sha256_hex(std::string_view bytes);

}  // namespace tascade

namespace tascade {

/// Incremental SHA-256 for long canonical renderings (digests of whole read models).
class sha256_stream {
 public:
  sha256_stream();
  ~sha256_stream();
  sha256_stream(const sha256_stream&) = delete;
  sha256_stream& operator=(const sha256_stream&) = delete;

  void update(std::string_view bytes);
  /// Finishes and returns the digest; call once.
  sha256_digest finish();

 private:
  void* ctx_;  // EVP_MD_CTX
};

}  // namespace tascade
