#pragma once
/// Cold start of a real server on an existing log: time until its startup line, until
/// `/health` answers, and until the first ready query of `project` is served.

#include <string>

namespace tascade::bench {

struct cold_start_figures {
  double to_listen = 0;       ///< seconds
  double to_health = 0;       ///< seconds
  double to_first_ready = 0;  ///< seconds
};

/// Throws std::runtime_error when the server does not come up or the query fails.
cold_start_figures measure_cold_start(const std::string& binary, const std::string& data,
                                      const std::string& log_file, const std::string& project);

}  // namespace tascade::bench
