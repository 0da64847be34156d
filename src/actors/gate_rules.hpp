#pragma once
/// Gates as pure rules (spec §10; issue 4): gate rules and decisions on the project's stream,
/// and gate policy evaluation, which plans the gate tasks a project needs.

#include "actors/governance_commands.hpp"
#include "actors/project_rules.hpp"
#include "tascade/time.hpp"

#include <caf/expected.hpp>

#include <boost/json/array.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tascade {

/// Finds the project of a phase anywhere (committed facts), for PROJECT_MISMATCH.
using phase_locator = std::function<std::optional<project_id>(const phase_id&)>;

caf::expected<std::vector<events::event>> decide(const project_state& s, const create_gate_rule& c,
                                                 const decide_context& ctx);
/// Errors in the reference's order (spec §10.2): GATE_RULE_NOT_FOUND; TASK_NOT_FOUND /
/// PROJECT_MISMATCH; PHASE_NOT_FOUND / PROJECT_MISMATCH; GATE_SCOPE_REQUIRED.
caf::expected<std::vector<events::event>> decide(const project_state& s,
                                                 const record_gate_decision& c,
                                                 const task_locator& tasks,
                                                 const phase_locator& phases,
                                                 const decide_context& ctx);

/// Parses a policy object (spec §10.6 keys plus `scope_drift_review`); POLICY_CONFIG_INVALID
/// for a threshold < 1 or a value of the wrong type, VALIDATION_ERROR for unknown keys.
caf::expected<gate_policy> parse_gate_policy(const boost::json::object& in);

/// What policy evaluation looks at: one task of a milestone.
struct policy_task {
  task_id id;
  task_class klass = task_class::other;
  task_state state = task_state::ready;
  timestamp created_at;
  timestamp updated_at;
  std::string policy_trigger;  ///< work_spec.policy_trigger, "" when none
  bool scope_drift = false;    ///< an artifact touched files beyond expected_touches
};
struct policy_milestone {
  milestone_id id;
  phase_id phase;
  std::string short_id;
  std::vector<policy_task> tasks;  ///< in creation order
};

/// A gate task the evaluation decided to create.
struct planned_gate {
  milestone_id milestone;
  phase_id phase;
  std::string trigger;
  task_class klass = task_class::review_gate;
  int64_t priority = 100;
  std::string title;
  std::string objective;
  std::vector<task_id> candidates;  ///< by creation time
};

struct policy_outcome {
  boost::json::array evaluated;
  std::vector<planned_gate> gates;
};

/// The reference's algorithm (spec §10.6) over `milestones` (in order), with one more trigger,
/// `scope_drift` (a review gate over the open tasks whose artifacts drifted), when enabled.
policy_outcome evaluate_policies(const std::vector<policy_milestone>& milestones,
                                 const gate_policy& policy, timestamp now);

/// The policy's gate tasks as task_created events (short ids allocated in order), followed by
/// `gate_policies_evaluated`.
caf::expected<std::vector<events::event>> decide(const project_state& s,
                                                 const evaluate_gate_policies& c,
                                                 const std::vector<policy_milestone>& milestones,
                                                 const decide_context& ctx);

/// Whether a task class is a gate class.
constexpr bool is_gate(task_class k) {
  return k == task_class::review_gate || k == task_class::merge_gate;
}
/// The gate states of the checkpoint list and of policy duplicate suppression (spec §10.5).
constexpr bool is_active_gate_state(task_state s) {
  return s == task_state::ready || s == task_state::reserved || s == task_state::claimed ||
         s == task_state::in_progress || s == task_state::implemented ||
         s == task_state::blocked || s == task_state::conflict;
}

}  // namespace tascade
