#pragma once
/// Payload codec of the planner's events (issue 17): struct ⇄ JSON object. Decoders record the
/// first problem in `problem` instead of throwing; `payload_codec.cpp` registers them.

#include "events/events.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace tascade::events {

boost::json::object encode(const plan_created& e);
boost::json::object encode(const plan_rerun& e);
boost::json::object encode(const context_card_recorded& e);
boost::json::object encode(const plan_applied& e);

event decode_plan_created(const boost::json::object& o, std::string& problem);
event decode_plan_rerun(const boost::json::object& o, std::string& problem);
event decode_context_card_recorded(const boost::json::object& o, std::string& problem);
event decode_plan_applied(const boost::json::object& o, std::string& problem);

}  // namespace tascade::events
