#pragma once
/// The normalised contract every format is ingested into (spec §1.13, §2.3, §2.4): the operations
/// in document order, the entities in declaration order, and the hash of the canonical document.

#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace tascade::planner {

/// One HTTP method on one path, or one root field of a GraphQL schema (method QUERY, MUTATION or
/// SUBSCRIPTION on the path /graphql).
struct contract_operation {
  std::string path;
  std::string method;        ///< upper case
  std::string operation_id;  ///< the document's, or the fallback of spec §2.3
  std::string summary;       ///< summary, else description, else ""
  std::vector<std::string> tags;
};

/// One entry of `components.schemas`, or one GraphQL type, input or enum.
struct contract_entity {
  std::string name;
  boost::json::value definition;
};

/// How the contract was given.
enum class contract_syntax : uint8_t { json, yaml, graphql, synthesized };

/// "json", "yaml", "graphql" or "synthesized".
std::string_view to_string(contract_syntax s);

struct contract {
  contract_syntax syntax = contract_syntax::json;
  /// The OpenAPI object (key order kept), or for GraphQL the mapped model
  /// {"graphql": {"operations": [...], "entities": {...}}}.
  boost::json::value document;
  std::vector<contract_operation> operations;
  std::vector<contract_entity> entities;
  std::string hash;  ///< lowercase hex SHA-256 of the canonical JSON of `document` (spec §2.5)

  /// The number of distinct operation ids (spec §2.7's `totalOperations`).
  size_t distinct_operations() const;
};

}  // namespace tascade::planner
