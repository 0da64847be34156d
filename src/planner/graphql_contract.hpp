#pragma once
/// A GraphQL schema mapped into the normalised contract (spec §1.13 [PROPOSAL]).

#include "planner/contract.hpp"
#include "planner/graphql_sdl.hpp"

#include <caf/expected.hpp>

namespace tascade::planner {

/// Root fields become operations (QUERY, MUTATION, SUBSCRIPTION on /graphql, ids made unique
/// with 2, 3, …); every other `type`, every `input` and `enum` becomes an entity
/// {"kind", "fields"}; the hash covers the mapped model.
contract contract_from_sdl(const sdl_schema& schema);

/// Parses and maps SDL text.
caf::expected<contract> contract_from_sdl_text(std::string_view text);

}  // namespace tascade::planner
