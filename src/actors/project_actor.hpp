#pragma once
/// The project actor: the consistency boundary for a project's hierarchy and dependency graph.
/// It rehydrates from its latest snapshot plus later events, decides commands with the pure
/// rules, appends through the log writer, and applies its events only once they are durable.
/// Commands are pipelined (commit.hpp): each is decided against every earlier one, and
/// answered once its events are stored.

#include "actors/actor_deps.hpp"
#include "actors/commands.hpp"
#include "actors/commit.hpp"
#include "actors/project_rules.hpp"
#include "actors/project_state.hpp"
#include "events/event_log.hpp"

#include <caf/all.hpp>

namespace tascade {


struct project_actor_state {
  project_state domain;  ///< durable plus in-flight events
  commit_pipeline pipe;
  caf::error broken;  ///< set when rehydration failed: every command gets it
  static inline const char* name = "project_actor";
};

/// Handles create_project, create_phase, create_milestone, create_task and add_dependency, and
/// (issue 4) create_gate_rule, record_gate_decision, evaluate_gate_policies, create_changeset and
/// apply_changeset; each answered with `command_done` or the rule's error.
caf::behavior project_behavior(caf::stateful_actor<project_actor_state>* self, project_id id,
                               shared_deps deps);

/// Rebuilds a project's state from its snapshot and stream. Errors: `errc::storage_failure`.
caf::expected<project_state> rehydrate_project(const event_log& log, const project_id& id);

}  // namespace tascade
