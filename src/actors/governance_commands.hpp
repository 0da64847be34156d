#pragma once
/// Commands of governance and plan evolution (issue 4): gate rules and decisions, policy
/// evaluation, plan changesets, and what an applied changeset asks of one task.

#include "actors/commands.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tascade {

struct create_gate_rule {
  command_meta meta;
  std::string project;
  std::string name;
  boost::json::object scope;
  boost::json::object conditions;
  boost::json::object required_evidence;
  std::vector<std::string> required_reviewer_roles;
  bool is_active = true;
};

struct record_gate_decision {
  command_meta meta;
  std::string project;
  std::string gate_rule;
  std::optional<std::string> task;
  std::optional<std::string> phase;
  std::string outcome;
  std::string actor;
  std::string reason;
  std::vector<std::string> evidence_refs;
};

/// The knobs of gate policy evaluation (spec §10.6), plus scope-drift review (issue 4).
struct gate_policy {
  int64_t implemented_backlog_threshold = 3;
  int64_t risk_threshold = 3;
  int64_t implemented_age_hours = 24;
  std::vector<task_class> risk_task_classes{task_class::architecture, task_class::db_schema,
                                            task_class::security, task_class::cross_cutting};
  bool scope_drift_review = true;  ///< a review gate for tasks whose artifacts drifted
};

struct evaluate_gate_policies {
  command_meta meta;
  std::string project;
  std::string actor;
  gate_policy policy;
  boost::json::object policy_json;  ///< as given, for the log
};

/// `operations` normalised to `{op, task_id, payload}` (spec §5.8).
struct create_changeset {
  command_meta meta;
  std::string project;
  int64_t base_plan_version = 1;
  int64_t target_plan_version = 1;
  boost::json::array operations;
  std::string created_by;
};

struct apply_changeset {
  command_meta meta;
  std::string changeset;
  bool allow_rebase = false;
  std::string project{};  ///< filled by the registry from the changeset
};

/// Internal, from the registry after a changeset was applied: the task's plan-owned fields
/// changed (`fields`); when `material`, its claim or reservation ends.
struct plan_task_changed {
  command_meta meta;
  std::string project;
  std::string task;
  uuid changeset;
  int64_t plan_version = 1;
  boost::json::object fields;
  bool material = false;
};

}  // namespace tascade

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::create_gate_rule)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::record_gate_decision)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::evaluate_gate_policies)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::create_changeset)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::apply_changeset)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::plan_task_changed)
