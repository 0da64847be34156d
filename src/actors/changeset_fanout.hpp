#pragma once
/// The fan-out of an applied plan changeset: after the project actor has made the changeset
/// durable, each changed task's actor is told its new plan fields (a material change there
/// invalidates its lease and reservations), one task after the other, in a worker actor.

#include "actors/governance_commands.hpp"
#include "actors/task_commands.hpp"

#include <caf/all.hpp>

namespace tascade {

/// Sends `c` to `project`, then each changed task its `plan_task_changed` through `registry`;
/// `rp` receives the changeset's records followed by the tasks'. Runs in worker actor `self`.
void apply_changeset_and_tell_tasks(caf::event_based_actor* self, caf::actor registry,
                                    caf::actor project, apply_changeset c,
                                    caf::typed_response_promise<command_done> rp);

}  // namespace tascade
