#pragma once
/// The alert desk (issue 13): one actor owning every metric alert on the `metric_alerts`
/// stream. After each committed change of a project it reads the project's metric readings and
/// records what crossed or left a threshold (alert_rules.hpp decides); it also takes
/// acknowledgements and threshold changes. Its events go through the log like any other, so
/// alerts are on /v1/events, in the timeline, and survive restarts.

#include "actors/actor_deps.hpp"
#include "actors/alert_rules.hpp"
#include "actors/commit.hpp"

#include <caf/all.hpp>

#include <functional>
#include <string>
#include <vector>

namespace tascade {

/// The stream of every alert event.
inline const std::string alert_stream = "metric_alerts";

/// "A change of `project` is durable: look at its metrics." Sent by the node's commit hook.
struct check_alerts {
  project_id project;
};

/// A project's readings on the ratio scale (spec §9.6), as of the desk's clock.
using readings_fn =
  std::function<std::vector<std::pair<std::string, double>>(const project_id&, timestamp now)>;

/// Rebuilds the desk from its stream. Errors: `errc::storage_failure`.
caf::expected<alert_desk_state> rehydrate_alert_desk(const event_log& log);

struct alert_desk_actor_state {
  alert_desk_state domain;  ///< durable plus in-flight events (commit.hpp)
  commit_pipeline pipe;
  caf::error broken;
  static inline const char* name = "alert_desk";
};

/// Handles check_alerts (no reply), acknowledge_alert and set_alert_thresholds (answered with
/// `command_done` or the rule's error).
caf::behavior alert_desk_behavior(caf::stateful_actor<alert_desk_actor_state>* self,
                                  actor_deps deps, readings_fn readings);

}  // namespace tascade

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::check_alerts)
