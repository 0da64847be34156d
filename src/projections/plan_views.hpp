#pragma once
/// The planner's read models (issue 17): plans with their nodes, edges and report, the context
/// cards of executor callbacks, and where a plan was applied. Fed by read_model_plans.cpp.

#include "tascade/ids.hpp"
#include "tascade/time.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tascade {

struct plan_view {
  uuid id;
  std::string project_ref;  ///< the seed's free-text projectId
  std::string run_id;
  /// The recorded plan (events/plan_events.hpp); nodes' `artifactsOut` grow with callbacks.
  boost::json::object plan;
  std::optional<uuid> source;  ///< the plan it reran
  boost::json::object diff;    ///< the contract diff against the source (reruns)
  boost::json::array proposed;  ///< the changeset operations the rerun proposed
  std::optional<uuid> proposed_changeset;  ///< the changeset made of them
  std::vector<uuid> cards;      ///< context cards, oldest first
  /// The `plan_applied` record (`{project_id, changeset_id, version_number, tasks, phases}`),
  /// empty until the plan is applied.
  boost::json::object applied;
  timestamp created_at;
  timestamp updated_at;
  global_seq seq = 0;
};

struct context_card_view {
  uuid id;
  uuid plan;
  uuid node;
  std::string status;
  boost::json::object card;
  timestamp created_at;
};

}  // namespace tascade
