#pragma once
/// A contract as a client gives it (an inline JSON object, or text in JSON, YAML or GraphQL SDL)
/// into the normalised contract, validated.

#include "planner/contract.hpp"

#include <caf/expected.hpp>

#include <string_view>

namespace tascade::planner {

/// The syntax of `text`: SDL when it `looks_like_graphql_sdl`, JSON when its first non-blank
/// character is `{`, YAML otherwise. `file_name` (may be empty) decides first when it ends in
/// .graphql/.gql, .json, or .yaml/.yml.
contract_syntax detect_contract_syntax(std::string_view text, std::string_view file_name = {});

/// Parses `text` in `syntax` and builds the contract (OpenAPI checks for JSON and YAML).
caf::expected<contract> load_contract_text(std::string_view text, contract_syntax syntax);

/// `load_contract_text` with the detected syntax.
caf::expected<contract> load_contract_text(std::string_view text);

/// An inline `contract.document`: an object is an OpenAPI document, a string is text.
caf::expected<contract> load_contract_document(const boost::json::value& document);

}  // namespace tascade::planner
