#pragma once
/// Proves the log intact: gapless global sequence, gapless per-stream versions, an unbroken
/// SHA-256 chain, and a head that matches the last event.

#include "events/event_log.hpp"

#include <functional>
#include <optional>
#include <string>

namespace tascade {

/// What `verify_log` found.
struct verify_report {
  uint64_t events = 0;                  ///< events checked
  global_seq head = 0;                  ///< the head recorded in meta
  std::optional<global_seq> first_bad;  ///< the first event that fails a check
  std::string problem;                  ///< why it fails (empty when the log is intact)
  bool ok() const { return problem.empty(); }
};

/// Checks every event. The log is cut into consecutive ranges (several per thread) checked in
/// parallel by `threads` threads (0: one per core for a large log, one for a small one; with
/// one thread, one range) and joined in order, so the result is the same as one pass in order
/// would give. `progress(done, total)` is called now and then, on the caller's thread.
verify_report verify_log(const event_log& log,
                         const std::function<void(uint64_t, uint64_t)>& progress = {},
                         unsigned threads = 0);

}  // namespace tascade
