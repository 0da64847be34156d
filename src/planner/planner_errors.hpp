#pragma once
/// The planner's errors: every one names the part of the input that is wrong.

#include "tascade/errc.hpp"

#include <string>

namespace tascade::planner {

/// A contract that fails validation: `part` is a JSON pointer into the document ("/info/title"),
/// a line:column of a YAML or SDL text, or "document". Code `errc::validation_failed`, details
/// {"error": "ContractInvalid", "part": part}.
caf::error contract_invalid(const std::string& part, const std::string& message);

/// A PRD that is missing or unusable (spec §1.2: "PRD text or accessible ref required").
caf::error prd_missing();

/// A plan whose final node count exceeds `abort_if_nodes_gt` (spec §4.5, PlanTooLarge).
caf::error plan_too_large(size_t nodes, size_t limit);

}  // namespace tascade::planner
