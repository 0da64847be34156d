#include "catalogue/schema.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace tascade::catalogue {

namespace json = boost::json;

namespace {

std::string_view location_name(param_in in) {
  switch (in) {
    case param_in::path:
      return "path";
    case param_in::query:
      return "query";
    case param_in::body:
      return "body";
  }
  return "body";
}

std::string_view type_name(field_type t) {
  switch (t) {
    case field_type::string:
      return "string";
    case field_type::integer:
      return "integer";
    case field_type::number:
      return "number";
    case field_type::boolean:
      return "boolean";
    case field_type::object:
      return "object";
    case field_type::string_array:
    case field_type::array:
      return "array";
    case field_type::string_list:
      return "string or array of strings";
  }
  return "string";
}

bool has_type(const json::value& v, field_type t) {
  switch (t) {
    case field_type::string:
      return v.is_string();
    case field_type::integer:
      return v.is_int64();  // a uint64 beyond INT64_MAX is out of range, not an integer we take
    case field_type::number:
      return v.is_int64() || v.is_double();
    case field_type::boolean:
      return v.is_bool();
    case field_type::object:
      return v.is_object();
    case field_type::array:
      return v.is_array();
    case field_type::string_list:
      if (v.is_string())
        return true;
      [[fallthrough]];
    case field_type::string_array:
      return v.is_array() &&
             std::all_of(v.get_array().begin(), v.get_array().end(),
                         [](const json::value& item) { return item.is_string(); });
  }
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    c = char(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::vector<input_problem> validate_input(const std::vector<field_spec>& fields,
                                          json::object& input, bool strict) {
  std::vector<input_problem> problems;
  std::vector<std::string> unknown;
  for (auto& entry : input) {
    auto key = entry.key();  // not a structured binding: clang 14 (the fuzz
                             // build) cannot capture one in the lambda below
    auto& value = entry.value();
    auto known = std::any_of(fields.begin(), fields.end(),
                             [&](const field_spec& f) { return f.name == key; });
    if (known)
      continue;
    if (strict)
      problems.push_back({"extra_forbidden", "body", std::string(key),
                          "Unknown field '" + std::string(key) + "'", value});
    else
      unknown.emplace_back(key);
  }
  // Ignored, as the reference does: a newer or more talkative client keeps working.
  for (auto& key : unknown)
    input.erase(key);
  for (auto& f : fields) {
    auto loc = std::string(location_name(f.in));
    auto* v = input.if_contains(f.name);
    if (!v) {
      if (f.required)
        problems.push_back({"missing", loc, f.name, "Field required", nullptr});
      else if (!f.default_value.is_null())
        input[f.name] = f.default_value;
      else
        input[f.name] = nullptr;
      continue;
    }
    if (v->is_null()) {
      if (!f.nullable)
        problems.push_back({"null_forbidden", loc, f.name,
                            "Field '" + f.name + "' may not be null", nullptr});
      continue;
    }
    if (!has_type(*v, f.type)) {
      auto want = f.type == field_type::string_array ? std::string("array of strings")
                                                     : std::string(type_name(f.type));
      problems.push_back({f.type == field_type::string_list ? std::string("list_type")
                                                            : std::string(type_name(f.type)) + "_type",
                          loc, f.name,
                          "Field '" + f.name + "' must be " + want, *v});
      continue;
    }
    if (v->is_number() && ((f.minimum && v->to_number<double>() < *f.minimum) ||
                           (f.maximum && v->to_number<double>() > *f.maximum))) {
      problems.push_back({"out_of_range", loc, f.name,
                          "Field '" + f.name + "' must be within " +
                            (f.minimum ? json::serialize(json::value(*f.minimum)) : "-inf") +
                            " and " +
                            (f.maximum ? json::serialize(json::value(*f.maximum)) : "inf"),
                          *v});
      continue;
    }
    if (f.type == field_type::string) {
      auto s = v->get_string();
      if (f.min_length && s.size() < *f.min_length)
        problems.push_back({"string_too_short", loc, f.name,
                            "Field '" + f.name + "' must have at least " +
                              std::to_string(*f.min_length) + " character(s)",
                            *v});
      else if (!f.enum_values.empty() &&
               std::find(f.enum_values.begin(), f.enum_values.end(), std::string_view(s)) ==
                 f.enum_values.end())
        problems.push_back({"enum", loc, f.name,
                            "Field '" + f.name + "' must be one of the allowed values", *v});
    }
  }
  return problems;
}

std::vector<input_problem> reconcile_body(
  const std::vector<field_spec>& fields, json::object& body,
  const std::unordered_map<std::string, std::string>& path_params, bool strict) {
  std::vector<input_problem> problems;
  std::vector<std::string> ignored;
  for (auto& entry : body) {
    auto key = entry.key();  // not a structured binding: clang 14 (the fuzz
                             // build) cannot capture one in the lambda below
    auto& value = entry.value();
    auto f = std::find_if(fields.begin(), fields.end(),
                          [&](const field_spec& spec) { return spec.name == key; });
    if (f == fields.end() || f->in == param_in::body)
      continue;
    std::string name(key);
    if (f->in == param_in::path) {
      auto path = path_params.find(name);
      if (path == path_params.end())
        continue;
      // UUIDs compare without regard to case, as every lookup of them does.
      if (value.is_string() && lower(value.get_string()) == lower(path->second))
        continue;
      problems.push_back({"path_mismatch", "body", name,
                          "Field '" + name + "' in the body must equal the path's value '" +
                            path->second + "'",
                          value});
    } else if (strict) {
      problems.push_back({"extra_forbidden", "body", name,
                          "Field '" + name + "' belongs in the query string", value});
    } else {
      ignored.push_back(name);
    }
  }
  for (auto& key : ignored)
    body.erase(key);
  return problems;
}

json::object validation_body(const std::vector<input_problem>& problems) {
  json::array detail;
  std::string summary;
  for (auto& p : problems) {
    json::array loc{json::value(p.location)};
    if (!p.field.empty())
      loc.emplace_back(p.field);
    detail.push_back(
      json::object{{"type", p.type}, {"loc", loc}, {"msg", p.message}, {"input", p.input}});
    if (!summary.empty())
      summary += "; ";
    summary += p.message;
  }
  return {{"detail", detail},
          {"error",
           {{"code", "VALIDATION_ERROR"},
            {"message", summary},
            {"retryable", false},
            {"details", {{"errors", detail}}}}}};
}

json::object field_schema(const field_spec& f) {
  json::object s;
  if (f.type == field_type::string_array) {
    s["type"] = "array";
    s["items"] = {{"type", "string"}};
  } else if (f.type == field_type::string_list) {
    s["anyOf"] = json::array{{{"type", "string"}},
                             {{"type", "array"}, {"items", {{"type", "string"}}}}};
  } else if (f.type == field_type::array) {
    s["type"] = "array";
  } else {
    s["type"] = type_name(f.type);
  }
  if (f.nullable && s.contains("type"))
    s["type"] = json::array{s["type"], "null"};
  if (f.min_length)
    s["minLength"] = *f.min_length;
  if (f.minimum)
    s["minimum"] = *f.minimum;
  if (f.maximum)
    s["maximum"] = *f.maximum;
  if (!f.enum_values.empty())
    s["enum"] = json::array(f.enum_values.begin(), f.enum_values.end());
  if (!f.default_value.is_null())
    s["default"] = f.default_value;
  if (!f.description.empty())
    s["description"] = f.description;
  return s;
}

json::object input_schema(const std::vector<field_spec>& fields, bool strict) {
  json::object props;
  json::array required;
  for (auto& f : fields) {
    props[f.name] = field_schema(f);
    if (f.required)
      required.emplace_back(f.name);
  }
  json::object s{{"type", "object"}, {"properties", props}};
  // Other properties are ignored, so the schema allows them; a tool with no parameters says
  // none are wanted, as MCP recommends.
  if (strict || fields.empty())
    s["additionalProperties"] = false;
  if (!required.empty())
    s["required"] = required;
  return s;
}

bool convert_text(const field_spec& f, std::string_view text, json::value& out) {
  switch (f.type) {
    case field_type::boolean: {
      auto t = lower(text);
      if (t == "true" || t == "t" || t == "1" || t == "yes" || t == "y" || t == "on")
        out = true;
      else if (t == "false" || t == "f" || t == "0" || t == "no" || t == "n" || t == "off")
        out = false;
      else
        return false;
      return true;
    }
    case field_type::integer: {
      int64_t v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc{} || ptr != text.data() + text.size())
        return false;
      out = v;
      return true;
    }
    case field_type::number: {
      double v = 0;
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc{} || ptr != text.data() + text.size())
        return false;
      out = v;
      return true;
    }
    default:
      out = json::string(text);
      return true;
  }
}

}  // namespace tascade::catalogue
