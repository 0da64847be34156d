#include "planner/openapi_contract.hpp"

#include "planner/openapi_validation.hpp"
#include "planner/python_json.hpp"

#include <boost/json.hpp>

namespace tascade::planner {

namespace json = boost::json;

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'a' && c <= 'z')
      c = static_cast<char>(c - 'a' + 'A');
  return out;
}

// `key_path.strip("/").replace("/", "_")`, prefixed by the key as written.
std::string fallback_id(std::string_view key, std::string_view path) {
  auto first = path.find_first_not_of('/');
  std::string trimmed;
  if (first != std::string_view::npos) {
    auto last = path.find_last_not_of('/');
    trimmed = std::string(path.substr(first, last - first + 1));
  }
  for (auto& c : trimmed)
    if (c == '/')
      c = '_';
  return std::string(key) + "_" + trimmed;
}

std::string non_empty_string(const json::object& obj, std::string_view key) {
  auto* v = obj.if_contains(key);
  if (v && v->is_string())
    return std::string(v->get_string());
  return {};
}

}  // namespace

std::vector<contract_operation> extract_operations(const json::value& document) {
  std::vector<contract_operation> ops;
  auto* paths = document.is_object() ? document.get_object().if_contains("paths") : nullptr;
  if (!paths || !paths->is_object())
    return ops;
  for (auto& item : paths->get_object()) {
    if (!item.value().is_object())
      continue;
    for (auto& kv : item.value().get_object()) {
      if (!is_operation_key(kv.key()) || !kv.value().is_object())
        continue;
      auto& op = kv.value().get_object();
      contract_operation out;
      out.path = std::string(item.key());
      out.method = upper(kv.key());
      out.operation_id = non_empty_string(op, "operationId");
      if (out.operation_id.empty())
        out.operation_id = fallback_id(kv.key(), item.key());
      out.summary = non_empty_string(op, "summary");
      if (out.summary.empty())
        out.summary = non_empty_string(op, "description");
      if (auto* tags = op.if_contains("tags"); tags && tags->is_array())
        for (auto& t : tags->get_array())
          if (t.is_string())
            out.tags.emplace_back(t.get_string());
      ops.push_back(std::move(out));
    }
  }
  return ops;
}

std::vector<contract_entity> extract_entities(const json::value& document) {
  std::vector<contract_entity> entities;
  if (!document.is_object())
    return entities;
  auto* components = document.get_object().if_contains("components");
  if (!components || !components->is_object())
    return entities;
  auto* schemas = components->get_object().if_contains("schemas");
  if (!schemas || !schemas->is_object())
    return entities;
  for (auto& kv : schemas->get_object())
    entities.push_back({std::string(kv.key()), kv.value()});
  return entities;
}

caf::expected<contract> contract_from_openapi(json::value document, contract_syntax syntax) {
  if (auto err = validate_openapi(document))
    return err;
  contract c;
  c.syntax = syntax;
  c.operations = extract_operations(document);
  c.entities = extract_entities(document);
  c.hash = canonical_sha256(document);
  c.document = std::move(document);
  return c;
}

}  // namespace tascade::planner
