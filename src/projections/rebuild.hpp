#pragma once
/// Rebuilding read models from the log, in global order: at server start and in
/// `tascade replay rebuild`.

#include "events/event_log.hpp"

#include <caf/expected.hpp>

#include <functional>

namespace tascade {

class projection_hub;

/// Applies every event after the hub's checkpoint. `progress(done, total)` is called now and
/// then. Returns the number of events applied. Errors: `errc::storage_failure`.
caf::expected<uint64_t> rebuild_projections(const event_log& log, projection_hub& hub,
                                            const std::function<void(uint64_t, uint64_t)>&
                                              progress = {});

}  // namespace tascade
