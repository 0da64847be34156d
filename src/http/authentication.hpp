#pragma once
/// Authentication (spec §4.2): the Bearer key of a request becomes a principal. Keys are looked
/// up by their SHA-256 in the key projection and compared in constant time; the raw key is never
/// logged. In development mode every request is the anonymous administrator.

#include "projections/projection_hub.hpp"
#include "tascade/operation.hpp"

#include <caf/expected.hpp>

#include <functional>
#include <mutex>
#include <optional>
#include <string_view>
#include <unordered_map>

namespace tascade::http {

/// Where `last_used_at` survives restarts (the log's meta family); unset: memory only.
struct key_usage_store {
  std::function<std::unordered_map<std::string, timestamp>()> load;
  std::function<void(const std::string& key_id, timestamp at)> save;
};

class authenticator {
 public:
  /// Loads the stored `last_used_at` of every key from `usage`.
  authenticator(const projection_hub* hub, bool disabled, key_usage_store usage = {});

  /// The principal of an `Authorization` header value (empty when absent).
  /// Errors: AUTH_MISSING (absent, not Bearer, empty), AUTH_INVALID (unknown or revoked key).
  caf::expected<principal> authenticate(std::string_view authorization);

  /// When a key last authenticated a request. Stored at most once a minute per key, so after a
  /// restart it may be up to a minute early.
  std::optional<timestamp> last_used(const std::string& key_id) const;

  bool disabled() const { return disabled_; }

 private:
  const projection_hub* hub_;
  bool disabled_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, timestamp> last_used_;
  key_usage_store usage_;
  std::unordered_map<std::string, timestamp> stored_;  ///< what `usage_` holds, per key
};

}  // namespace tascade::http
