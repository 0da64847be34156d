#pragma once
/// The plan book (issue 17): the actor that owns every plan's stream (`plan:<uuid>`). It runs
/// the planner for `create_plan` and `rerun_plan` and records executor callbacks as context
/// cards. It lives beside the planner because it runs it (src/actors/ does not depend on
/// src/planner/); the node starts it next to the registry and stops it before the log writer.

#include "actors/actor_deps.hpp"
#include "actors/commit.hpp"
#include "planner/plan_book_rules.hpp"
#include "planner/planner_settings.hpp"

#include <caf/all.hpp>

#include <set>
#include <unordered_map>
#include <utility>

namespace tascade {

struct plan_book_actor_state {
  /// Plans touched since the start, durable plus in flight (commit.hpp); loaded on first use.
  std::unordered_map<uuid, plan_state, uuid_hash> plans;
  /// (projectId, runId) pairs decided here whose plans the projections may not hold yet.
  std::set<std::pair<std::string, std::string>> runs;
  commit_pipeline pipe;
  static inline const char* name = "plan_book";
};

/// Handles create_plan, rerun_plan and record_callback, answered with `command_done` or the
/// rule's error. `run_exists(projectId, runId)` reads the projections.
caf::behavior plan_book_behavior(
  caf::stateful_actor<plan_book_actor_state>* self, actor_deps deps,
  planner::planner_settings settings,
  std::function<bool(const std::string&, const std::string&)> run_exists);

}  // namespace tascade
