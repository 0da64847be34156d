#pragma once
/// Passivation of idle task actors. A task actor with nothing to guard (no lease, no
/// reservation, no append in flight) that has received no command for `actor_deps::idle_after`
/// asks the registry for leave to stop. The registry grants it only when it has forwarded the
/// actor no command the actor has not already handled, and forgets it in the same step; so a
/// command routed just as the actor decided to stop reaches it (leave refused), or a fresh
/// actor that rehydrates from the log (leave granted). Nothing is lost or answered with an error.

#include "tascade/ids.hpp"

#include <caf/allowed_unsafe_message_type.hpp>

#include <cstdint>

namespace tascade {

/// Internal: the task actor's periodic check for idleness (an anonymous self-send).
struct idle_check {};

/// Asked of the registry by an idle task actor; answered with `true` (stop now: the registry
/// has forgotten you) or `false` (stay: a command is on its way, or the registry does not know
/// you). `handled` counts the commands the actor has received from the registry.
struct passivate_request {
  task_id task;
  uint64_t handled = 0;
};

}  // namespace tascade

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::idle_check)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::passivate_request)
