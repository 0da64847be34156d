#pragma once
/// The event types of the log: one struct per fact, past tense, with its wire name and schema
/// version. Entity creation times are the envelope's timestamp, not payload fields.

#include "events/governance_events.hpp"
#include "events/key_events.hpp"
#include "events/metric_events.hpp"
#include "events/plan_events.hpp"
#include "events/task_events.hpp"
#include "tascade/ids.hpp"
#include "tascade/vocabulary.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace tascade::events {

/// A project came into being, with plan version 1 ("Initial plan").
struct project_created {
  static constexpr std::string_view type = "project_created";
  static constexpr uint16_t schema = 1;
  project_id id;
  std::string name;
  plan_version_id initial_plan_version;
};

struct phase_created {
  static constexpr std::string_view type = "phase_created";
  static constexpr uint16_t schema = 1;
  phase_id id;
  project_id project;
  std::string name;
  int64_t sequence = 0;
  int64_t number = 0;  ///< allocation counter behind the short id `P{number}`
  std::string short_id;
};

struct milestone_created {
  static constexpr std::string_view type = "milestone_created";
  static constexpr uint16_t schema = 1;
  milestone_id id;
  project_id project;
  phase_id phase;
  std::string name;
  int64_t sequence = 0;
  int64_t number = 0;
  std::string short_id;
};

/// A task was added to a project. Recorded on the project's stream, because the project
/// allocates its short id and owns the set of tasks that edges may join.
struct task_created {
  static constexpr std::string_view type = "task_created";
  static constexpr uint16_t schema = 1;
  task_id id;
  project_id project;
  phase_id phase;
  milestone_id milestone;
  int64_t number = 0;
  std::string short_id;
  std::string title;
  std::optional<std::string> description;
  int64_t priority = 100;
  boost::json::object work_spec;
  task_class klass = task_class::other;
  std::vector<std::string> capability_tags;
  std::vector<std::string> expected_touches;
  std::vector<std::string> exclusive_paths;
  std::vector<std::string> shared_paths;
};

/// A dependency edge: `to` cannot start until `from` reaches `unlock`.
struct dependency_added {
  static constexpr std::string_view type = "dependency_added";
  static constexpr uint16_t schema = 1;
  edge_id id;
  project_id project;
  task_id from;
  task_id to;
  unlock_on unlock = unlock_on::implemented;
};

/// Every event the log can hold.
using event = std::variant<project_created, phase_created, milestone_created, task_created,
                           dependency_added, tasks_unlocked, task_claimed, lease_renewed,
                           lease_expired, task_assigned, reservation_released,
                           task_state_transitioned, artifact_recorded,
                           integration_attempt_enqueued, integration_result_recorded,
                           key_created, key_revoked, gate_rule_created,
                           gate_decision_recorded, changeset_created, changeset_applied,
                           gate_policies_evaluated, lease_invalidated, reservation_invalidated,
                           scope_drift_detected, alert_raised, alert_resolved,
                           alert_acknowledged, alert_thresholds_set, auth_denied, plan_created,
                           plan_rerun, context_card_recorded, plan_applied>;

}  // namespace tascade::events
