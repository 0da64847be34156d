#include "http/request_input.hpp"

#include <boost/json.hpp>

#include <string>
#include <utility>

namespace tascade::http {

namespace json = boost::json;

namespace {

// Splits "a=1&b=2" into decoded pairs.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view q) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < q.size()) {
    auto end = q.find('&', start);
    if (end == std::string_view::npos)
      end = q.size();
    auto part = q.substr(start, end - start);
    if (!part.empty()) {
      auto eq = part.find('=');
      auto key = url_decode(part.substr(0, eq), true);
      auto value = eq == std::string_view::npos ? std::string{}
                                                : url_decode(part.substr(eq + 1), true);
      out.emplace_back(std::move(key), std::move(value));
    }
    start = end + 1;
  }
  return out;
}

const field_spec* find_field(const operation& op, std::string_view name) {
  for (auto& f : op.input)
    if (f.name == name)
      return &f;
  return nullptr;
}

}  // namespace

request_input assemble_input(const route_match& match, std::string_view target,
                             std::string_view body) {
  const auto& op = *match.op;
  request_input out;
  if (!body.empty()) {
    boost::system::error_code jec;
    auto parsed = json::parse(body, jec);
    if (jec) {
      out.refusal = catalogue::validation_body(
        {{"json_invalid", "body", "", "Body is not valid JSON: " + jec.message(), nullptr}});
      return out;
    }
    if (!parsed.is_object() && !parsed.is_null()) {
      out.refusal = catalogue::validation_body(
        {{"model_attributes_type", "body", "", "Body must be a JSON object", nullptr}});
      return out;
    }
    if (parsed.is_object())
      out.input = std::move(parsed.get_object());
    out.problems =
      catalogue::reconcile_body(op.input, out.input, match.path_params, op.strict_fields);
  }
  auto qpos = target.find('?');
  if (qpos != std::string_view::npos) {
    for (auto& [key, raw] : parse_query(target.substr(qpos + 1))) {
      auto* f = find_field(op, key);
      if (!f || f->in != param_in::query || out.input.contains(key))
        continue;  // unknown query parameters are ignored, as browsers and proxies add some
      json::value v;
      if (!catalogue::convert_text(*f, raw, v))
        out.problems.push_back(
          {f->type == field_type::boolean ? "bool_parsing" : "int_parsing", "query", key,
           "Query parameter '" + key + "' is not a valid " +
             (f->type == field_type::boolean ? "boolean" : "number"),
           json::string(raw)});
      else
        out.input[key] = std::move(v);
    }
  }
  for (auto& [key, value] : match.path_params)
    out.input[key] = value;
  return out;
}

}  // namespace tascade::http
