#include "events/codec/metric_codec.hpp"

#include "events/codec/field_reader.hpp"

#include <boost/json.hpp>

namespace tascade::events {

namespace json = boost::json;

namespace {

double number(field_reader& f, std::string_view key) {
  auto* v = f.field(key);
  if (v && v->is_number())
    return v->to_number<double>();
  f.fail(key);
  return 0;
}

std::optional<double> opt_number(field_reader& f, std::string_view key) {
  auto* v = f.find(key);
  if (!v || v->is_null())
    return std::nullopt;
  if (!v->is_number()) {
    f.fail(key);
    return std::nullopt;
  }
  return v->to_number<double>();
}

}  // namespace

json::object encode(const alert_raised& e) {
  return {{"id", e.id.str()},
          {"project_id", e.project.str()},
          {"metric_key", e.metric_key},
          {"alert_type", e.alert_type},
          {"severity", e.severity},
          {"value", e.value},
          {"threshold", e.threshold ? json::value(*e.threshold) : json::value(nullptr)},
          {"context", e.context}};
}
json::object encode(const alert_resolved& e) {
  return {{"id", e.id.str()},
          {"project_id", e.project.str()},
          {"metric_key", e.metric_key},
          {"value", e.value}};
}
json::object encode(const alert_acknowledged& e) {
  return {{"id", e.id.str()}, {"project_id", e.project.str()}, {"acknowledged_by", e.by}};
}
json::object encode(const alert_thresholds_set& e) {
  return {{"project_id", e.project.str()}, {"thresholds", e.thresholds}, {"set_by", e.by}};
}

event decode_alert_raised(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  alert_raised e;
  e.id = f.raw_id("id");
  e.project = f.id<project_id>("project_id");
  e.metric_key = f.str("metric_key");
  e.alert_type = f.str("alert_type");
  e.severity = f.str("severity");
  e.value = number(f, "value");
  e.threshold = opt_number(f, "threshold");
  e.context = f.object("context");
  return e;
}
event decode_alert_resolved(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  alert_resolved e;
  e.id = f.raw_id("id");
  e.project = f.id<project_id>("project_id");
  e.metric_key = f.str("metric_key");
  e.value = number(f, "value");
  return e;
}
event decode_alert_acknowledged(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return alert_acknowledged{f.raw_id("id"), f.id<project_id>("project_id"),
                            f.str("acknowledged_by")};
}
event decode_alert_thresholds_set(const json::object& o, std::string& problem) {
  field_reader f{o, problem};
  return alert_thresholds_set{f.id<project_id>("project_id"), f.object("thresholds"),
                              f.str("set_by")};
}

}  // namespace tascade::events
