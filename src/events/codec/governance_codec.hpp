#pragma once
/// Payload codec of the governance events (issue 4): struct ⇄ JSON object. Decoders record the
/// first problem in `problem` instead of throwing; `payload_codec.cpp` registers them.

#include "events/events.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace tascade::events {

boost::json::object encode(const gate_rule_created& e);
boost::json::object encode(const gate_decision_recorded& e);
boost::json::object encode(const changeset_created& e);
boost::json::object encode(const changeset_applied& e);
boost::json::object encode(const gate_policies_evaluated& e);
boost::json::object encode(const lease_invalidated& e);
boost::json::object encode(const reservation_invalidated& e);
boost::json::object encode(const scope_drift_detected& e);

event decode_gate_rule_created(const boost::json::object& o, std::string& problem);
event decode_gate_decision_recorded(const boost::json::object& o, std::string& problem);
event decode_changeset_created(const boost::json::object& o, std::string& problem);
event decode_changeset_applied(const boost::json::object& o, std::string& problem);
event decode_gate_policies_evaluated(const boost::json::object& o, std::string& problem);
event decode_lease_invalidated(const boost::json::object& o, std::string& problem);
event decode_reservation_invalidated(const boost::json::object& o, std::string& problem);
event decode_scope_drift_detected(const boost::json::object& o, std::string& problem);

}  // namespace tascade::events
