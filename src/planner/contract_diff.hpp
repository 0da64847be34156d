#pragma once
/// What changed between two versions of a contract, and what that means for a plan made from the
/// first (the rerun of issue 17): tasks to add, tasks to cancel, tasks whose work changed.

#include "planner/planner.hpp"

#include <string>
#include <vector>

namespace tascade::planner {

struct contract_diff {
  std::vector<std::string> added_operations, removed_operations, changed_operations;
  std::vector<std::string> added_entities, removed_entities, changed_entities;

  bool empty() const;
};

/// A fingerprint of one operation: SHA-256 of the canonical JSON of its path, method, operation
/// object and the path item's parameters (OpenAPI), or of its mapped form (GraphQL).
std::string operation_fingerprint(const contract& c, const contract_operation& op);

/// Operations compared by operationId (first occurrence), entities by name; a change is a
/// different fingerprint (operations) or definition (entities). Lists keep contract order.
contract_diff diff_contracts(const contract& before, const contract& after);

/// A node's identity across plans: "<kind>:<anchor>:<part>".
std::string node_key(const plan_node& n);

struct plan_delta {
  contract_diff diff;
  std::vector<size_t> added;     ///< indices into the new plan: nodes the old plan lacks
  std::vector<size_t> cancelled; ///< indices into the old plan: nodes the new plan lacks
  std::vector<size_t> material;  ///< indices into the old plan: kept nodes whose work changed
                                 ///< (an operation of theirs changed or left, their entity
                                 ///< changed, or their operations, steps or criteria differ)
};

/// The delta from `before` to `after`, both planned from the same PRD.
plan_delta diff_plans(const plan_result& before, const plan_result& after);

}  // namespace tascade::planner
