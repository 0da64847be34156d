#pragma once
/// Helpers shared by the catalogue's operation files: field specs, reading validated input,
/// and running commands (through the actors) and queries (on the projections).

#include "actors/ask.hpp"
#include "actors/commands.hpp"
#include "catalogue/catalogue.hpp"
#include "catalogue/json/api_shapes.hpp"
#include "tascade/errc.hpp"
#include "tascade/text_list.hpp"

#include <boost/json.hpp>

#include <memory>

namespace tascade::catalogue {

namespace json = boost::json;

// ---- field helpers ----------------------------------------------------------------------------

inline field_spec path_param(std::string name, std::string description) {
  return {.name = std::move(name), .in = param_in::path, .required = true,
          .description = std::move(description)};
}
inline field_spec query(std::string name, field_type type, bool required, json::value def,
                 std::string description) {
  return {.name = std::move(name), .type = type, .in = param_in::query, .required = required,
          .default_value = std::move(def), .description = std::move(description)};
}
inline field_spec body(std::string name, field_type type, bool required, std::string description) {
  return {.name = std::move(name), .type = type, .in = param_in::body, .required = required,
          .description = std::move(description)};
}
inline field_spec text(std::string name, std::string description) {
  auto f = body(std::move(name), field_type::string, true, std::move(description));
  f.min_length = 1;
  return f;
}
inline field_spec nullable(field_spec f) {
  f.nullable = true;
  f.required = false;
  return f;
}
inline field_spec with_default(field_spec f, json::value def) {
  f.required = false;
  f.default_value = std::move(def);
  return f;
}
/// A number field accepted only within [minimum, maximum] (else 422 out_of_range).
inline field_spec within(field_spec f, double minimum, double maximum) {
  f.minimum = minimum;
  f.maximum = maximum;
  return f;
}
inline field_spec one_of(field_spec f, std::vector<std::string> values) {
  f.enum_values = std::move(values);
  return f;
}
template <size_t N>
inline std::vector<std::string> names(const std::array<std::string_view, N>& values) {
  return {values.begin(), values.end()};
}

inline std::string str(const json::object& in, std::string_view key) {
  return std::string(in.at(key).as_string());
}
inline std::optional<std::string> opt_str(const json::object& in, std::string_view key) {
  auto& v = in.at(key);
  return v.is_null() ? std::nullopt : std::optional<std::string>(v.as_string());
}
inline std::vector<std::string> strings(const json::object& in, std::string_view key) {
  std::vector<std::string> out;
  for (auto& v : in.at(key).as_array())
    out.emplace_back(v.as_string());
  return out;
}
/// A `string_list` field as a list: split on commas when a string, items trimmed, blanks
/// dropped (spec §7.4); nullopt when absent.
inline std::optional<std::vector<std::string>> string_list(const json::object& in,
                                                           std::string_view key) {
  auto& v = in.at(key);
  if (v.is_null())
    return std::nullopt;
  std::vector<std::string> raw;
  if (v.is_string()) {
    raw = split_list(v.get_string());
  } else {
    for (auto& item : v.get_array())
      raw.emplace_back(item.get_string());
  }
  std::vector<std::string> out;
  for (auto& item : raw) {
    auto b = item.find_first_not_of(" \t");
    if (b == std::string::npos)
      continue;
    auto e = item.find_last_not_of(" \t");
    out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

inline command_meta meta_of(const call_context& ctx) {
  return {ctx.who.name, ctx.correlation, ctx.idempotency_key, ctx.idempotency_scope};
}

// ---- running commands and queries -------------------------------------------------------------

// Sends a command to `target` (the registry or the plan book); on success, renders the
// created entity from the projections (which already hold it: replies wait for them).
// The two outcome callbacks share one context and capture only the hub: copying the context
// (principal, callbacks) and the services into each callback cost allocations per request.
template <class Command, class Render>
void run_command_at(const services& s, const caf::actor& target, call_context ctx, Command cmd,
                    int status, Render render) {
  auto shared = std::make_shared<const call_context>(std::move(ctx));
  s.ask->ask<command_done>(
    target, std::move(cmd),
    [hub = s.hub, shared, status, render](command_done& done) {
      auto body = hub->read([&](const read_model& m) { return render(m, done); });
      if (body.is_null())
        shared->fail(make_error(errc::invariant_violation, "the result is not visible"));
      else
        shared->reply({status, std::move(body)});
    },
    [shared](caf::error& err) { shared->fail(std::move(err)); });
}
template <class Command, class Render>
void run_command(const services& s, call_context ctx, Command cmd, int status, Render render) {
  run_command_at(s, s.registry, std::move(ctx), std::move(cmd), status, std::move(render));
}

/// The id of the entity a creation command made (its first event's `id`).
inline std::string created_id(const command_done& done) {
  return std::string(done.records.front().payload.at("id").as_string());
}

// Runs a read against the projections; `fn` returns the body or an error.
template <class Fn>
void run_query(const services& s, const call_context& ctx, Fn fn) {
  caf::expected<json::value> result = s.hub->read(fn);
  if (result)
    ctx.reply({200, std::move(*result)});
  else
    ctx.fail(std::move(result.error()));
}

/// A list's `limit` and `offset` (declared with defaults), or nullopt after failing `ctx` when
/// they are out of range.
struct page {
  int64_t limit;
  int64_t offset;
};
inline std::optional<page> page_of(const call_context& ctx, const json::object& in) {
  page p{in.at("limit").to_number<int64_t>(), in.at("offset").to_number<int64_t>()};
  if (p.limit < 0 || p.limit > 1000 || p.offset < 0) {
    ctx.fail(make_error(errc::validation_failed, "limit must be within 0..1000 and offset >= 0"));
    return std::nullopt;
  }
  return p;
}

inline caf::error project_not_found() { return make_error(errc::project_not_found, "Project not found"); }

inline const project_view* find_project(const read_model& m, std::string_view ref) {
  auto id = project_id::parse(ref);
  return id ? m.project(*id) : nullptr;
}

template <class Items>
json::array render_all(const Items& items) {
  json::array out;
  out.reserve(items.size());
  for (auto* item : items)
    out.push_back(to_json(*item));
  return out;
}

// REST keeps exactly the five WorkSpec keys (spec §2.3) and checks their types.
inline caf::expected<json::object> rest_work_spec(const json::object& in) {
  auto fail = [](std::string what) {
    return make_error(errc::validation_failed, "work_spec." + what);
  };
  auto* objective = in.if_contains("objective");
  if (!objective)
    return fail("objective: Field required");
  if (!objective->is_string())
    return fail("objective must be a string");
  json::object out{{"objective", *objective}};
  for (auto key : {"constraints", "acceptance_criteria", "interfaces", "path_hints"}) {
    auto* v = in.if_contains(key);
    if (!v) {
      if (std::string_view(key) == "acceptance_criteria")
        return fail("acceptance_criteria: Field required");
      out[key] = json::array{};
      continue;
    }
    if (!v->is_array())
      return fail(std::string(key) + " must be an array of strings");
    for (auto& item : v->get_array())
      if (!item.is_string())
        return fail(std::string(key) + " must be an array of strings");
    out[key] = *v;
  }
  return out;
}

}  // namespace tascade::catalogue
