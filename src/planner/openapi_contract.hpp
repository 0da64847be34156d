#pragma once
/// An OpenAPI document (already parsed from JSON or YAML) into the normalised contract.

#include "planner/contract.hpp"

#include <caf/expected.hpp>

namespace tascade::planner {

/// The operations of `paths` in document key order (spec §2.3).
std::vector<contract_operation> extract_operations(const boost::json::value& document);

/// The entries of `components.schemas` in document order (spec §2.4).
std::vector<contract_entity> extract_entities(const boost::json::value& document);

/// Validates (`validate_openapi`), extracts and hashes `document`.
caf::expected<contract> contract_from_openapi(boost::json::value document, contract_syntax syntax);

}  // namespace tascade::planner
