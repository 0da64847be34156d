#include "planner/graphql_contract.hpp"

#include "planner/python_json.hpp"

#include <boost/json.hpp>

#include <unordered_set>

namespace tascade::planner {

namespace json = boost::json;

contract contract_from_sdl(const sdl_schema& schema) {
  contract c;
  c.syntax = contract_syntax::graphql;
  std::unordered_set<std::string> used;
  auto unique = [&](const std::string& name) {
    if (used.insert(name).second)
      return name;
    for (int n = 2;; ++n) {
      auto candidate = name + std::to_string(n);
      if (used.insert(candidate).second)
        return candidate;
    }
  };
  // Root types in the order query, mutation, subscription; each in field declaration order.
  std::pair<const std::string*, const char*> roots[] = {
    {&schema.query_root, "QUERY"},
    {&schema.mutation_root, "MUTATION"},
    {&schema.subscription_root, "SUBSCRIPTION"}};
  for (auto& [root, method] : roots)
    for (auto& t : schema.types)
      if (t.kind == "type" && t.name == *root)
        for (auto& f : t.fields)
          c.operations.push_back({"/graphql", method, unique(f.name), f.description, {}});
  for (auto& t : schema.types) {
    bool is_root = t.name == schema.query_root || t.name == schema.mutation_root ||
                   t.name == schema.subscription_root;
    if ((t.kind == "type" && !is_root) || t.kind == "input" || t.kind == "enum") {
      json::array fields;
      for (auto& f : t.fields)
        fields.emplace_back(f.name);
      c.entities.push_back({t.name, json::object{{"kind", t.kind}, {"fields", std::move(fields)}}});
    }
  }
  json::array ops;
  for (auto& op : c.operations)
    ops.push_back(json::object{{"operationId", op.operation_id},
                               {"method", op.method},
                               {"path", op.path},
                               {"summary", op.summary},
                               {"tags", json::array()}});
  json::object entities;
  for (auto& e : c.entities)
    entities[e.name] = e.definition;
  c.document = json::object{
    {"graphql", json::object{{"operations", std::move(ops)}, {"entities", std::move(entities)}}}};
  c.hash = canonical_sha256(c.document);
  return c;
}

caf::expected<contract> contract_from_sdl_text(std::string_view text) {
  auto schema = parse_graphql_sdl(text);
  if (!schema)
    return std::move(schema.error());
  return contract_from_sdl(*schema);
}

}  // namespace tascade::planner
