#pragma once
/// The project's rules as pure functions: `decide` turns a command into events or refuses it
/// with the spec's error; `apply` folds an event into the state. No I/O, no actor.

#include "actors/commands.hpp"
#include "actors/task_commands.hpp"
#include "actors/project_state.hpp"
#include "events/events.hpp"

#include "tascade/time.hpp"

#include <caf/expected.hpp>

#include <functional>
#include <optional>

namespace tascade {

/// Finds the project of any task in the system (committed facts), to tell TASK_NOT_FOUND from
/// PROJECT_MISMATCH for edges that name another project's task.
using task_locator = std::function<std::optional<project_id>(const task_id&)>;

/// Internal: record that `by` reaching `state` made `unlocked` claimable (sent by task actors).
struct record_unlocked {
  command_meta meta;
  std::string project;
  task_id by;
  task_state state = task_state::implemented;
  std::vector<task_id> unlocked;
};

/// Fresh ids and the time, injected so the rules stay pure.
struct decide_context {
  timestamp now;
  std::function<uuid()> new_id = uuid::random;
};

caf::expected<std::vector<events::event>> decide(const project_state& s, const create_project& c,
                                                 const decide_context& ctx);
caf::expected<std::vector<events::event>> decide(const project_state& s, const create_phase& c,
                                                 const decide_context& ctx);
caf::expected<std::vector<events::event>> decide(const project_state& s,
                                                 const create_milestone& c,
                                                 const decide_context& ctx);
caf::expected<std::vector<events::event>> decide(const project_state& s, const create_task& c,
                                                 const decide_context& ctx);
/// Errors in the reference's order: CYCLE_DETECTED (self edge), TASK_NOT_FOUND,
/// PROJECT_MISMATCH, DEPENDENCY_EXISTS, CYCLE_DETECTED (closing edge).
caf::expected<std::vector<events::event>> decide(const project_state& s, const add_dependency& c,
                                                 const task_locator& locate,
                                                 const decide_context& ctx);

caf::expected<std::vector<events::event>> decide(const project_state& s,
                                                 const record_unlocked& c,
                                                 const decide_context& ctx);

/// Folds one of the project's events into its state.
void apply(project_state& s, const events::event& ev);

}  // namespace tascade

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::record_unlocked)
