#pragma once
/// A GraphQL type-system document (SDL), parsed by a small recursive-descent parser of the
/// October 2021 grammar's type-system part: schema, scalar, type, interface, union, enum, input,
/// directive definitions and their `extend` forms, with descriptions, arguments, default values
/// and directives (read and dropped).

#include <caf/expected.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace tascade::planner {

struct sdl_field {
  std::string name;
  std::string description;  ///< "" when none; block strings are dedented as the spec says
};

struct sdl_type {
  std::string kind;  ///< "type", "interface", "input", "enum", "union" or "scalar"
  std::string name;
  std::string description;
  std::vector<sdl_field> fields;  ///< fields, input fields or enum values, in declaration order
};

struct sdl_schema {
  std::vector<sdl_type> types;  ///< in declaration order; `extend` adds fields to the first
  std::string query_root = "Query";
  std::string mutation_root = "Mutation";
  std::string subscription_root = "Subscription";
};

/// Parses `text`. A syntax error is `contract_invalid("line L, column C", "expected …, found …")`.
caf::expected<sdl_schema> parse_graphql_sdl(std::string_view text);

/// Whether `text` looks like SDL: its first token (after whitespace, commas and `#` comments) is
/// `type`, `schema`, `input`, `enum`, `interface`, `union`, `scalar`, `"""` (spec §1.13), or
/// `directive`, `extend` or a `"` description.
bool looks_like_graphql_sdl(std::string_view text);

}  // namespace tascade::planner
