#pragma once
/// Rebuilding read models from the log, in global order: at server start and in
/// `tascade replay rebuild`.

#include "events/event_log.hpp"

#include <caf/expected.hpp>

#include <functional>
#include <optional>

namespace tascade {

class projection_hub;

/// How a rebuild reads the log. A large one is decoded (storage reads, envelopes, payload JSON)
/// batch by batch on helper threads while the caller's thread applies the batches in order.
struct rebuild_tuning {
  /// Helper threads (0: the caller's thread decodes too). By default one per core (at most 4)
  /// when there are at least 16 batches to apply, none otherwise.
  std::optional<unsigned> decoders;
  uint64_t batch = 1024;  ///< events per batch
};

/// Applies every event after the hub's checkpoint, in order. `progress(done, total)` is called
/// now and then, on the caller's thread. Returns the number of events applied. Errors:
/// `errc::storage_failure` (the events before the failing one are applied).
caf::expected<uint64_t> rebuild_projections(const event_log& log, projection_hub& hub,
                                            const std::function<void(uint64_t, uint64_t)>&
                                              progress = {},
                                            rebuild_tuning tuning = {});

}  // namespace tascade
