#pragma once
/// The REST/MCP response shapes (spec §5.2): read-model views rendered with the field names and
/// order of the OpenAPI document.

#include "projections/read_model.hpp"

#include <boost/json/object.hpp>

namespace tascade::catalogue {

boost::json::object to_json(const project_view& p);
boost::json::object to_json(const phase_view& p);
boost::json::object to_json(const milestone_view& m);
/// A Task with `work_spec` normalised to the five WorkSpecOut keys (spec §2.3).
boost::json::object to_json(const task_view& t);
/// A TaskSummary: a Task plus `score` (always null).
boost::json::object task_summary(const task_view& t);
/// A GraphTask: a Task whose `work_spec` is the stored object verbatim.
boost::json::object graph_task(const task_view& t);
boost::json::object to_json(const edge_view& e);

/// Lease, TaskReservation, TaskExecutionSnapshot, Artifact and IntegrationAttempt (spec §5.2).
boost::json::object to_json(const task_view& t, const lease_view& l);
boost::json::object to_json(const task_view& t, const reservation_view& r);
boost::json::object to_json(const task_view& t, const snapshot_view& s);
boost::json::object to_json(const task_view& t, const artifact_view& a);
boost::json::object to_json(const attempt_view& a);
/// Seconds as JSON: an integer when whole, else a fraction.
boost::json::value seconds(int64_t micros);

/// The five WorkSpecOut keys of a stored work_spec; missing lists render as [].
boost::json::object work_spec_out(const boost::json::object& stored);

}  // namespace tascade::catalogue
