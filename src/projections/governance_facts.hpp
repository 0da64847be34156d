#pragma once
/// The facts of governance and plan evolution (issue 4) that actors read from the projections:
/// phase ownership, policy inputs, changeset ownership, gate approvals, plan-owned task fields
/// and file-touch conflicts. Wired by node.cpp beside the other facts.

#include "actors/actor_deps.hpp"
#include "actors/touch_conflicts.hpp"
#include "projections/projection_hub.hpp"

namespace tascade {

/// Fills the governance members of `f` with reads of `hub` (which must outlive them).
void add_governance_facts(facts& f, const projection_hub& hub);

/// The held tasks of a project with their expected touches (for touch_conflicts).
std::vector<held_touches> held_touches_of(const read_model& m, const project_id& project);

}  // namespace tascade
