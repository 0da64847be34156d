#pragma once
/// Wall-clock timing for the benches.

#include <chrono>

namespace tascade::bench {

using clock_type = std::chrono::steady_clock;

/// Seconds from `t` until now.
inline double seconds_since(clock_type::time_point t) {
  return std::chrono::duration<double>(clock_type::now() - t).count();
}

}  // namespace tascade::bench
