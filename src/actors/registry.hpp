#pragma once
/// The registry: finds or starts the actor that owns a command's aggregate and forwards the
/// command to it. Project actors start on demand and are rehydrated from the log.

#include "actors/project_actor.hpp"

#include <caf/all.hpp>

#include <unordered_map>

namespace tascade {

struct registry_state {
  std::unordered_map<project_id, caf::actor> projects;
  static inline const char* name = "registry";
};

/// Accepts every command of `commands.hpp`; replies as the owning actor does, or with
/// PROJECT_NOT_FOUND when the named project does not exist.
caf::behavior registry_behavior(caf::stateful_actor<registry_state>* self, project_deps deps);

}  // namespace tascade
