#include "planner/planner_errors.hpp"

#include <boost/json.hpp>

namespace tascade::planner {

caf::error contract_invalid(const std::string& part, const std::string& message) {
  boost::json::object details{{"error", "ContractInvalid"}, {"part", part}};
  return make_error(errc::validation_failed, "contract invalid at " + part + ": " + message,
                    details);
}

caf::error prd_missing() {
  boost::json::object details{{"error", "PrdMissing"}};
  return make_error(errc::bad_request, "PRD text or accessible ref required", details);
}

caf::error plan_too_large(size_t nodes, size_t limit) {
  boost::json::object details{{"error", "PlanTooLarge"},
                              {"nodes", nodes},
                              {"limit", limit}};
  return make_error(errc::validation_failed,
                    "the plan has " + std::to_string(nodes) + " nodes, more than the limit of " +
                      std::to_string(limit),
                    details);
}

}  // namespace tascade::planner
