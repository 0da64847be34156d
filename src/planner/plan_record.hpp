#pragma once
/// A plan as the log records it (issue 17): the `plan` object of `plan_created` and
/// `plan_rerun` (its layout is drawn in events/plan_events.hpp), made from a planning result
/// and the inputs it came from, plus the way back from those inputs to a result (a rerun plans
/// the source again to compare it with the new plan).

#include "actors/plan_commands.hpp"
#include "planner/planner.hpp"

#include <caf/expected.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <string>

namespace tascade::planner {

/// Plans `source` with `settings` (a synthesized contract when its text is empty). Errors as
/// `make_plan`, plus `contract_invalid` for a contract that does not parse or validate.
caf::expected<plan_result> plan_from(const plan_source& source, const planner_settings& settings);

/// The recorded plan: status "Winning", hashes, the report (spec §9.1) and its content-addressed
/// reference `sha256:<hash>`, coverage, params (spec §9.3) and the nodes and edges with fresh
/// ids from `new_id`, in the shapes of `tasks.json` and `/graph` plus the project task fields
/// (phase, priority, taskClass, capabilityTags, expectedTouches, workSpec).
boost::json::object plan_record(const plan_result& r, const uuid& plan_id,
                                const plan_source& source, long runtime_ms,
                                const planner_settings& settings,
                                const std::function<uuid()>& new_id);

}  // namespace tascade::planner
