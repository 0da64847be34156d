#pragma once
/// REST shapes of governance (issue 4): gate rules and decisions, checkpoints, candidate
/// readiness, changesets, plan versions, apply and validate results.

#include "actors/commands.hpp"
#include "projections/read_model.hpp"

#include <boost/json/object.hpp>

namespace tascade::catalogue {

boost::json::object to_json(const gate_rule_view& r);
boost::json::object to_json(const gate_decision_view& d);
boost::json::object to_json(const changeset_view& c);
boost::json::object to_json(const plan_version_view& v);
/// `work_spec.candidate_readiness` of a gate task (spec §10.3).
boost::json::object readiness_json(const read_model& m, const task_view& gate);
/// One GateCheckpoint (spec §10.5); `now` for age_hours.
boost::json::object checkpoint_json(const read_model& m, const task_view& gate, timestamp now);
/// The apply answer from the records the apply committed; null when they are not visible.
boost::json::value apply_result_json(const read_model& m, const command_done& done);
/// The dry run of a changeset against the current projections.
boost::json::object validation_json(const read_model& m, const changeset_view& c,
                                    bool allow_rebase);
/// `{project_id, plan_version, history}`.
boost::json::object current_plan_json(const read_model& m, const project_view& p);

}  // namespace tascade::catalogue
