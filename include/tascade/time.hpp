#pragma once
/// Timestamps: UTC microseconds since the Unix epoch, and the clock actors read them from.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tascade {

/// A point in time, UTC, microsecond precision.
struct timestamp {
  int64_t micros = 0;

  /// ISO-8601 with six fractional digits and an explicit `+00:00` offset.
  std::string iso() const;
  /// Parses ISO-8601 (`Z` or `±hh:mm` offset, optional fraction); nullopt if malformed.
  static std::optional<timestamp> parse(std::string_view text);

  friend bool operator==(const timestamp&, const timestamp&) = default;
  friend auto operator<=>(const timestamp&, const timestamp&) = default;
};

/// Where actors read the current time; injected so tests control it.
using clock_fn = std::function<timestamp()>;

/// The system clock.
timestamp system_now();

}  // namespace tascade
