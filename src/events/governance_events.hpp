#pragma once
/// Events of governance and plan evolution (issue 4). Gate rules, gate decisions, changesets,
/// plan versions and policy evaluations live on the project's stream; what a plan change does
/// to one task's claim or reservation, and scope drift of its artifacts, on the task's stream.

#include "tascade/ids.hpp"
#include "tascade/vocabulary.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tascade::events {

/// A gate rule: descriptive configuration that gate decisions reference (spec §10.1).
struct gate_rule_created {
  static constexpr std::string_view type = "gate_rule_created";
  static constexpr uint16_t schema = 1;
  uuid id;
  project_id project;
  std::string name;
  boost::json::object scope;
  boost::json::object conditions;
  boost::json::object required_evidence;
  std::vector<std::string> required_reviewer_roles;
  bool is_active = true;
};

/// A reviewer's decision on a gate task or a phase (spec §10.2); append-only.
struct gate_decision_recorded {
  static constexpr std::string_view type = "gate_decision_recorded";
  static constexpr uint16_t schema = 1;
  uuid id;
  project_id project;
  uuid gate_rule;
  std::optional<task_id> task;
  std::optional<phase_id> phase;
  std::string outcome;  ///< approved, rejected, approved_with_risk
  std::string actor;
  std::string reason;
  std::vector<std::string> evidence_refs;
};

/// A draft plan changeset (spec §11.2). `operations` are normalised to
/// `{op, task_id (string or null), payload (object)}`.
struct changeset_created {
  static constexpr std::string_view type = "changeset_created";
  static constexpr uint16_t schema = 1;
  uuid id;
  project_id project;
  int64_t base_plan_version = 1;
  int64_t target_plan_version = 1;
  boost::json::array operations;
  std::string created_by;
};

/// A changeset was applied: the plan advanced to `version_number`. `updates` are the field
/// changes in operation order (`{task_id, fields}`); `material` the tasks whose claims and
/// reservations the change invalidates (the task actors record that on their own streams).
struct changeset_applied {
  static constexpr std::string_view type = "changeset_applied";
  static constexpr uint16_t schema = 1;
  uuid changeset;
  project_id project;
  plan_version_id plan_version;
  int64_t version_number = 2;
  int64_t base_plan_version = 1;  ///< the plan version it was applied on
  bool rebased = false;           ///< applied on another base than it was written for
  boost::json::array updates;
  std::vector<task_id> material;
};

/// Gate policies were evaluated (spec §10.6): what each milestone showed, and the gate tasks
/// created for it (their `task_created` events follow in the same commit).
struct gate_policies_evaluated {
  static constexpr std::string_view type = "gate_policies_evaluated";
  static constexpr uint16_t schema = 1;
  project_id project;
  std::string actor;
  boost::json::object policy;
  boost::json::array evaluated;
  std::vector<task_id> created;
};

/// A material plan change ended the claim on a task: back to ready, holder fenced off.
struct lease_invalidated {
  static constexpr std::string_view type = "lease_invalidated";
  static constexpr uint16_t schema = 1;
  task_id task;
  project_id project;
  uuid lease;
  uint64_t fencing = 0;
  std::string agent;
  task_state from = task_state::claimed;
  uuid changeset;
  int64_t plan_version = 1;
};

/// A material plan change ended a reservation: back to ready.
struct reservation_invalidated {
  static constexpr std::string_view type = "reservation_invalidated";
  static constexpr uint16_t schema = 1;
  task_id task;
  project_id project;
  uuid reservation;
  std::string assignee;
  uuid changeset;
  int64_t plan_version = 1;
};

/// An artifact touched files that no pattern of the task's `expected_touches` covers.
struct scope_drift_detected {
  static constexpr std::string_view type = "scope_drift_detected";
  static constexpr uint16_t schema = 1;
  task_id task;
  project_id project;
  uuid artifact;
  std::vector<std::string> outside;   ///< touched files beyond the expected touches
  std::vector<std::string> expected;  ///< the task's expected touches at that moment
};

}  // namespace tascade::events
