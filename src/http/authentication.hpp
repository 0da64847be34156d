#pragma once
/// Authentication (spec §4.2): the Bearer key of a request becomes a principal. Keys are looked
/// up by their SHA-256 in the key projection and compared in constant time; the raw key is never
/// logged. In development mode every request is the anonymous administrator.

#include "projections/projection_hub.hpp"
#include "tascade/operation.hpp"

#include <caf/expected.hpp>

#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace tascade::http {

class authenticator {
 public:
  authenticator(const projection_hub* hub, bool disabled) : hub_(hub), disabled_(disabled) {}

  /// The principal of an `Authorization` header value (empty when absent).
  /// Errors: AUTH_MISSING (absent, not Bearer, empty), AUTH_INVALID (unknown or revoked key).
  caf::expected<principal> authenticate(std::string_view authorization);

  /// When a key last authenticated a request (since this server started).
  std::optional<timestamp> last_used(const std::string& key_id) const;

  bool disabled() const { return disabled_; }

 private:
  const projection_hub* hub_;
  bool disabled_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, timestamp> last_used_;
};

}  // namespace tascade::http
