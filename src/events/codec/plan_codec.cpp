#include "events/codec/plan_codec.hpp"

#include "events/codec/field_reader.hpp"

#include <boost/json.hpp>

namespace tascade::events {

namespace json = boost::json;

json::object encode(const plan_created& e) {
  return {{"id", e.id.str()}, {"project_ref", e.project_ref}, {"run_id", e.run_id},
          {"plan", e.plan}};
}
json::object encode(const plan_rerun& e) {
  return {{"id", e.id.str()},     {"source_plan_id", e.source.str()},
          {"project_ref", e.project_ref}, {"run_id", e.run_id},
          {"plan", e.plan},       {"contract_diff", e.diff},
          {"proposed_operations", e.proposed}};
}
json::object encode(const context_card_recorded& e) {
  return {{"id", e.id.str()},     {"plan_id", e.plan.str()}, {"node_id", e.node.str()},
          {"status", e.status},   {"card", e.card},          {"artifacts_out", e.artifacts_out}};
}
json::object encode(const plan_applied& e) {
  return {{"plan_id", e.plan.str()},           {"project_id", e.project.str()},
          {"changeset_id", e.changeset.str()}, {"version_number", e.version_number},
          {"tasks", e.tasks},                  {"phases", e.phases}};
}

event decode_plan_created(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return plan_created{f.raw_id("id"), f.str("project_ref"), f.str("run_id"), f.object("plan")};
}
event decode_plan_rerun(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return plan_rerun{f.raw_id("id"),           f.raw_id("source_plan_id"),
                    f.str("project_ref"),     f.str("run_id"),
                    f.object("plan"),         f.object("contract_diff"),
                    f.array("proposed_operations")};
}
event decode_context_card_recorded(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return context_card_recorded{f.raw_id("id"),   f.raw_id("plan_id"), f.raw_id("node_id"),
                               f.str("status"),  f.object("card"),    f.array("artifacts_out")};
}
event decode_plan_applied(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return plan_applied{f.raw_id("plan_id"),      f.id<project_id>("project_id"),
                      f.raw_id("changeset_id"), f.int64("version_number"),
                      f.array("tasks"),         f.object("phases")};
}

}  // namespace tascade::events
