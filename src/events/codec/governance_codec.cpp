#include "events/codec/governance_codec.hpp"

#include <boost/json.hpp>

namespace tascade::events {

namespace json = boost::json;

namespace {

json::array to_array(const std::vector<std::string>& items) {
  return json::array(items.begin(), items.end());
}
template <class Id>
json::array id_array(const std::vector<Id>& ids) {
  json::array out;
  for (auto& id : ids)
    out.emplace_back(id.str());
  return out;
}
template <class Id>
json::value optional_id(const std::optional<Id>& id) {
  return id ? json::value(id->str()) : json::value(nullptr);
}

// Reads fields, remembering the first that is missing or malformed.
struct fields {
  const json::object& o;
  std::string& problem;

  const json::value* at(std::string_view key) {
    auto* v = o.if_contains(key);
    if (!v)
      fail(key);
    return v;
  }
  void fail(std::string_view key) {
    if (problem.empty())
      problem = "bad or missing field '" + std::string(key) + "'";
  }
  std::string str(std::string_view key) {
    auto* v = at(key);
    if (v && v->is_string())
      return std::string(v->get_string());
    fail(key);
    return {};
  }
  int64_t int64(std::string_view key) {
    auto* v = at(key);
    if (v && v->is_int64())
      return v->get_int64();
    if (v && v->is_uint64())
      return int64_t(v->get_uint64());
    fail(key);
    return 0;
  }
  bool boolean(std::string_view key) {
    auto* v = at(key);
    if (v && v->is_bool())
      return v->get_bool();
    fail(key);
    return false;
  }
  json::object object(std::string_view key) {
    auto* v = at(key);
    if (v && v->is_object())
      return v->get_object();
    fail(key);
    return {};
  }
  json::array array(std::string_view key) {
    auto* v = at(key);
    if (v && v->is_array())
      return v->get_array();
    fail(key);
    return {};
  }
  std::vector<std::string> strings(std::string_view key) {
    std::vector<std::string> out;
    for (auto& item : array(key)) {
      if (!item.is_string()) {
        fail(key);
        return out;
      }
      out.emplace_back(item.get_string());
    }
    return out;
  }
  template <class Id>
  Id id(std::string_view key) {
    auto parsed = Id::parse(str(key));
    if (!parsed)
      fail(key);
    return parsed.value_or(Id{});
  }
  uuid raw(std::string_view key) {
    auto parsed = uuid::parse(str(key));
    if (!parsed)
      fail(key);
    return parsed.value_or(uuid{});
  }
  template <class Id>
  std::optional<Id> opt_id(std::string_view key) {
    auto* v = o.if_contains(key);
    if (!v || v->is_null())
      return std::nullopt;
    auto parsed = v->is_string() ? Id::parse(v->get_string()) : std::nullopt;
    if (!parsed)
      fail(key);
    return parsed;
  }
  template <class Id>
  std::vector<Id> ids(std::string_view key) {
    std::vector<Id> out;
    for (auto& s : strings(key)) {
      auto parsed = Id::parse(s);
      if (!parsed) {
        fail(key);
        return out;
      }
      out.push_back(*parsed);
    }
    return out;
  }
  task_state state(std::string_view key) {
    auto parsed = parse_enum<task_state>(str(key), task_state_names);
    if (!parsed)
      fail(key);
    return parsed.value_or(task_state::ready);
  }
};

}  // namespace

json::object encode(const gate_rule_created& e) {
  return {{"id", e.id.str()},
          {"project_id", e.project.str()},
          {"name", e.name},
          {"scope", e.scope},
          {"conditions", e.conditions},
          {"required_evidence", e.required_evidence},
          {"required_reviewer_roles", to_array(e.required_reviewer_roles)},
          {"is_active", e.is_active}};
}
json::object encode(const gate_decision_recorded& e) {
  return {{"id", e.id.str()},
          {"project_id", e.project.str()},
          {"gate_rule_id", e.gate_rule.str()},
          {"task_id", optional_id(e.task)},
          {"phase_id", optional_id(e.phase)},
          {"outcome", e.outcome},
          {"actor_id", e.actor},
          {"reason", e.reason},
          {"evidence_refs", to_array(e.evidence_refs)}};
}
json::object encode(const changeset_created& e) {
  return {{"id", e.id.str()},
          {"project_id", e.project.str()},
          {"base_plan_version", e.base_plan_version},
          {"target_plan_version", e.target_plan_version},
          {"operations", e.operations},
          {"created_by", e.created_by}};
}
json::object encode(const changeset_applied& e) {
  return {{"changeset_id", e.changeset.str()},
          {"project_id", e.project.str()},
          {"plan_version_id", e.plan_version.str()},
          {"version_number", e.version_number},
          {"base_plan_version", e.base_plan_version},
          {"rebased", e.rebased},
          {"updates", e.updates},
          {"material_task_ids", id_array(e.material)}};
}
json::object encode(const gate_policies_evaluated& e) {
  return {{"project_id", e.project.str()},
          {"actor_id", e.actor},
          {"policy", e.policy},
          {"evaluated", e.evaluated},
          {"created_task_ids", id_array(e.created)}};
}
json::object encode(const lease_invalidated& e) {
  return {{"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"lease_id", e.lease.str()},
          {"fencing_counter", e.fencing},
          {"agent_id", e.agent},
          {"from_state", to_string(e.from)},
          {"changeset_id", e.changeset.str()},
          {"plan_version", e.plan_version}};
}
json::object encode(const reservation_invalidated& e) {
  return {{"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"reservation_id", e.reservation.str()},
          {"assignee_agent_id", e.assignee},
          {"changeset_id", e.changeset.str()},
          {"plan_version", e.plan_version}};
}
json::object encode(const scope_drift_detected& e) {
  return {{"task_id", e.task.str()},
          {"project_id", e.project.str()},
          {"artifact_id", e.artifact.str()},
          {"outside_expected", to_array(e.outside)},
          {"expected_touches", to_array(e.expected)}};
}

event decode_gate_rule_created(const json::object& o, std::string& problem) {
  fields f{o, problem};
  return gate_rule_created{f.raw("id"),
                           f.id<project_id>("project_id"),
                           f.str("name"),
                           f.object("scope"),
                           f.object("conditions"),
                           f.object("required_evidence"),
                           f.strings("required_reviewer_roles"),
                           f.boolean("is_active")};
}
event decode_gate_decision_recorded(const json::object& o, std::string& problem) {
  fields f{o, problem};
  return gate_decision_recorded{f.raw("id"),
                                f.id<project_id>("project_id"),
                                f.raw("gate_rule_id"),
                                f.opt_id<task_id>("task_id"),
                                f.opt_id<phase_id>("phase_id"),
                                f.str("outcome"),
                                f.str("actor_id"),
                                f.str("reason"),
                                f.strings("evidence_refs")};
}
event decode_changeset_created(const json::object& o, std::string& problem) {
  fields f{o, problem};
  return changeset_created{f.raw("id"),
                           f.id<project_id>("project_id"),
                           f.int64("base_plan_version"),
                           f.int64("target_plan_version"),
                           f.array("operations"),
                           f.str("created_by")};
}
event decode_changeset_applied(const json::object& o, std::string& problem) {
  fields f{o, problem};
  return changeset_applied{f.raw("changeset_id"),
                           f.id<project_id>("project_id"),
                           f.id<plan_version_id>("plan_version_id"),
                           f.int64("version_number"),
                           f.int64("base_plan_version"),
                           f.boolean("rebased"),
                           f.array("updates"),
                           f.ids<task_id>("material_task_ids")};
}
event decode_gate_policies_evaluated(const json::object& o, std::string& problem) {
  fields f{o, problem};
  return gate_policies_evaluated{f.id<project_id>("project_id"), f.str("actor_id"),
                                 f.object("policy"), f.array("evaluated"),
                                 f.ids<task_id>("created_task_ids")};
}
event decode_lease_invalidated(const json::object& o, std::string& problem) {
  fields f{o, problem};
  return lease_invalidated{f.id<task_id>("task_id"),
                           f.id<project_id>("project_id"),
                           f.raw("lease_id"),
                           uint64_t(f.int64("fencing_counter")),
                           f.str("agent_id"),
                           f.state("from_state"),
                           f.raw("changeset_id"),
                           f.int64("plan_version")};
}
event decode_reservation_invalidated(const json::object& o, std::string& problem) {
  fields f{o, problem};
  return reservation_invalidated{f.id<task_id>("task_id"),    f.id<project_id>("project_id"),
                                 f.raw("reservation_id"),     f.str("assignee_agent_id"),
                                 f.raw("changeset_id"),       f.int64("plan_version")};
}
event decode_scope_drift_detected(const json::object& o, std::string& problem) {
  fields f{o, problem};
  return scope_drift_detected{f.id<task_id>("task_id"), f.id<project_id>("project_id"),
                              f.raw("artifact_id"), f.strings("outside_expected"),
                              f.strings("expected_touches")};
}

}  // namespace tascade::events
