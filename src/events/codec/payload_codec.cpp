#include "events/codec/payload_codec.hpp"

#include "tascade/errc.hpp"

#include <boost/json.hpp>

namespace tascade::events {

namespace json = boost::json;

namespace {

// Reading side: a small cursor that records the first problem instead of throwing.
struct reader {
  const json::object& obj;
  std::string problem;

  const json::value* field(std::string_view key) {
    auto* v = obj.if_contains(key);
    if (!v && problem.empty())
      problem = "missing field '" + std::string(key) + "'";
    return v;
  }
  std::string str(std::string_view key) {
    auto* v = field(key);
    if (v && v->is_string())
      return std::string(v->get_string());
    fail(key);
    return {};
  }
  std::optional<std::string> opt_str(std::string_view key) {
    auto* v = obj.if_contains(key);
    if (!v || v->is_null())
      return std::nullopt;
    if (v->is_string())
      return std::string(v->get_string());
    fail(key);
    return std::nullopt;
  }
  int64_t int64(std::string_view key) {
    auto* v = field(key);
    if (v && v->is_int64())
      return v->get_int64();
    fail(key);
    return 0;
  }
  json::object object(std::string_view key) {
    auto* v = field(key);
    if (v && v->is_object())
      return v->get_object();
    fail(key);
    return {};
  }
  std::vector<std::string> strings(std::string_view key) {
    std::vector<std::string> out;
    auto* v = field(key);
    if (!v || !v->is_array()) {
      fail(key);
      return out;
    }
    for (auto& item : v->get_array()) {
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
    if (!parsed) {
      fail(key);
      return {};
    }
    return *parsed;
  }
  template <class Enum, size_t N>
  Enum enumeration(std::string_view key, const std::array<std::string_view, N>& names) {
    auto parsed = parse_enum<Enum>(str(key), names);
    if (!parsed) {
      fail(key);
      return Enum{};
    }
    return *parsed;
  }
  void fail(std::string_view key) {
    if (problem.empty())
      problem = "bad field '" + std::string(key) + "'";
  }
};

json::array to_array(const std::vector<std::string>& items) {
  json::array out;
  out.reserve(items.size());
  for (auto& s : items)
    out.emplace_back(s);
  return out;
}

json::object encode(const project_created& e) {
  return {{"id", e.id.str()}, {"name", e.name},
          {"initial_plan_version", e.initial_plan_version.str()}};
}
json::object encode(const phase_created& e) {
  return {{"id", e.id.str()},       {"project_id", e.project.str()}, {"name", e.name},
          {"sequence", e.sequence}, {"number", e.number},            {"short_id", e.short_id}};
}
json::object encode(const milestone_created& e) {
  return {{"id", e.id.str()},       {"project_id", e.project.str()}, {"phase_id", e.phase.str()},
          {"name", e.name},         {"sequence", e.sequence},        {"number", e.number},
          {"short_id", e.short_id}};
}
json::object encode(const task_created& e) {
  json::object o{{"id", e.id.str()},
                 {"project_id", e.project.str()},
                 {"phase_id", e.phase.str()},
                 {"milestone_id", e.milestone.str()},
                 {"number", e.number},
                 {"short_id", e.short_id},
                 {"title", e.title},
                 {"priority", e.priority},
                 {"work_spec", e.work_spec},
                 {"task_class", to_string(e.klass)},
                 {"capability_tags", to_array(e.capability_tags)},
                 {"expected_touches", to_array(e.expected_touches)},
                 {"exclusive_paths", to_array(e.exclusive_paths)},
                 {"shared_paths", to_array(e.shared_paths)}};
  if (e.description)
    o["description"] = *e.description;
  else
    o["description"] = nullptr;
  return o;
}
json::object encode(const dependency_added& e) {
  return {{"id", e.id.str()},           {"project_id", e.project.str()},
          {"from_task_id", e.from.str()}, {"to_task_id", e.to.str()},
          {"unlock_on", to_string(e.unlock)}};
}

event decode_project_created(reader& r) {
  return project_created{r.id<project_id>("id"), r.str("name"),
                         r.id<plan_version_id>("initial_plan_version")};
}
event decode_phase_created(reader& r) {
  return phase_created{r.id<phase_id>("id"),   r.id<project_id>("project_id"), r.str("name"),
                       r.int64("sequence"),    r.int64("number"),              r.str("short_id")};
}
event decode_milestone_created(reader& r) {
  return milestone_created{r.id<milestone_id>("id"), r.id<project_id>("project_id"),
                           r.id<phase_id>("phase_id"), r.str("name"),
                           r.int64("sequence"),       r.int64("number"),
                           r.str("short_id")};
}
event decode_task_created(reader& r) {
  task_created e;
  e.id = r.id<task_id>("id");
  e.project = r.id<project_id>("project_id");
  e.phase = r.id<phase_id>("phase_id");
  e.milestone = r.id<milestone_id>("milestone_id");
  e.number = r.int64("number");
  e.short_id = r.str("short_id");
  e.title = r.str("title");
  e.description = r.opt_str("description");
  e.priority = r.int64("priority");
  e.work_spec = r.object("work_spec");
  e.klass = r.enumeration<task_class>("task_class", task_class_names);
  e.capability_tags = r.strings("capability_tags");
  e.expected_touches = r.strings("expected_touches");
  e.exclusive_paths = r.strings("exclusive_paths");
  e.shared_paths = r.strings("shared_paths");
  return e;
}
event decode_dependency_added(reader& r) {
  return dependency_added{r.id<edge_id>("id"), r.id<project_id>("project_id"),
                          r.id<task_id>("from_task_id"), r.id<task_id>("to_task_id"),
                          r.enumeration<unlock_on>("unlock_on", unlock_on_names)};
}

// One row per event type: its decoder for the current schema. An older schema gets an
// upcaster here that rewrites the payload before decoding; none exists yet (all are v1).
struct decoder_row {
  std::string_view type;
  uint16_t schema;
  event (*decode)(reader&);
};
constexpr decoder_row decoders[] = {
  {project_created::type, project_created::schema, decode_project_created},
  {phase_created::type, phase_created::schema, decode_phase_created},
  {milestone_created::type, milestone_created::schema, decode_milestone_created},
  {task_created::type, task_created::schema, decode_task_created},
  {dependency_added::type, dependency_added::schema, decode_dependency_added},
};

}  // namespace

json::object encode_payload(const event& ev) {
  return std::visit([](const auto& e) { return encode(e); }, ev);
}

std::string_view type_of(const event& ev) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::type; }, ev);
}

uint16_t schema_of(const event& ev) {
  return std::visit([](const auto& e) { return std::decay_t<decltype(e)>::schema; }, ev);
}

caf::expected<event> decode_payload(std::string_view type, uint16_t schema,
                                    const json::object& payload) {
  for (auto& row : decoders) {
    if (row.type != type)
      continue;
    if (schema > row.schema)
      return make_error(errc::storage_failure,
                        "event " + std::string(type) + " has future schema " +
                          std::to_string(schema));
    reader r{payload, {}};
    auto ev = row.decode(r);
    if (!r.problem.empty())
      return make_error(errc::storage_failure,
                        "event " + std::string(type) + ": " + r.problem);
    return ev;
  }
  return make_error(errc::storage_failure, "unknown event type " + std::string(type));
}

}  // namespace tascade::events
