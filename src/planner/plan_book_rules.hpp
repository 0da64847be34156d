#pragma once
/// The plan book's rules as pure functions (issue 17): a command of the planner into the
/// events of a plan's stream, or the error of spec §9.5. Planning runs here, inside the plan
/// book actor; it reads no clock but the search's wall-time limit and the report's runtime.

#include "actors/plan_commands.hpp"
#include "actors/project_rules.hpp"
#include "events/events.hpp"
#include "planner/planner_settings.hpp"

#include <caf/expected.hpp>

#include <set>
#include <string>
#include <unordered_map>
#include <utility>

namespace tascade {

/// One plan's stream as the plan book decides with it.
struct plan_state {
  uuid id;
  bool exists = false;
  uint64_t version = 0;  ///< events of the plan's stream applied so far
  std::set<std::string> nodes;  ///< node ids
};

/// Folds one of the plan's events into its state.
void apply(plan_state& s, const events::event& ev);

/// The events that start plan `id`: `plan_created`. Errors: DuplicateRun (409) when
/// `run_taken`; PrdMissing (400) and ContractInvalid (422) from the planner.
caf::expected<std::vector<events::event>> decide(const plan_state& s, const create_plan& c,
                                                 bool run_taken,
                                                 const planner::planner_settings& settings,
                                                 const decide_context& ctx);

/// `plan_rerun` for plan `s.id`: the source planned again and the new plan, their contract
/// diff, and for an applied source the changeset operations it proposes, resolved against the
/// project (`create_task` with its milestone and the ids of its neighbours, `cancel_task`,
/// material `update_task`). Errors as for create_plan (no DuplicateRun: the run id is new).
caf::expected<std::vector<events::event>> decide(const plan_state& s, const rerun_plan& c,
                                                 const planner::planner_settings& settings,
                                                 const decide_context& ctx);

/// `context_card_recorded` for a node of the plan (spec §8.1, offline summary). Errors:
/// PlanNotFound; TaskNotFound (404 "Task not found") for a node the plan lacks.
caf::expected<std::vector<events::event>> decide(const plan_state& s, const record_callback& c,
                                                 const decide_context& ctx);

}  // namespace tascade
