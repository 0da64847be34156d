#pragma once
/// Payload codec of the metric-alert events (issue 13): struct ⇄ JSON object. Decoders record
/// the first problem in `problem` instead of throwing; `payload_codec.cpp` registers them.

#include "events/events.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace tascade::events {

boost::json::object encode(const alert_raised& e);
boost::json::object encode(const alert_resolved& e);
boost::json::object encode(const alert_acknowledged& e);
boost::json::object encode(const alert_thresholds_set& e);

event decode_alert_raised(const boost::json::object& o, std::string& problem);
event decode_alert_resolved(const boost::json::object& o, std::string& problem);
event decode_alert_acknowledged(const boost::json::object& o, std::string& problem);
event decode_alert_thresholds_set(const boost::json::object& o, std::string& problem);

}  // namespace tascade::events
