#pragma once
/// Per-operation figures of a load run: a latency histogram, and outcomes counted by HTTP
/// status and error code. Printed as a table for people and as JSON for scripts.

#include "tools/bench/histogram.hpp"

#include <boost/json.hpp>

#include <map>
#include <string>

namespace tascade::bench {

struct op_figures {
  histogram latency;                      ///< of every answered request, µs
  std::map<std::string, uint64_t> errors;  ///< "409 NOTHING_CLAIMABLE" -> count
  uint64_t ok = 0;
};

class op_stats {
 public:
  /// Records one answered request; `error_code` is empty for a success.
  void record(const std::string& op, uint64_t micros, int status, const std::string& error_code);
  const std::map<std::string, op_figures>& ops() const { return ops_; }

  /// One JSON object per operation: count, ok, per-second, p50/p90/p99/max (µs), errors.
  boost::json::object to_json(double seconds) const;
  /// The same as a fixed-width table.
  std::string table(double seconds) const;

 private:
  std::map<std::string, op_figures> ops_;
};

/// The `error.code` of an error envelope body, or "" when there is none.
std::string error_code_of(const std::string& body);

}  // namespace tascade::bench
