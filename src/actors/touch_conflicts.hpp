#pragma once
/// File-touch conflicts (issue 4): a task conflicts with a task another agent holds (claimed or
/// in progress) when their expected touches overlap (path_glob.hpp). Pure; the facts come from
/// the projections.

#include "tascade/ids.hpp"
#include "tascade/errc.hpp"
#include "tascade/vocabulary.hpp"

#include <boost/json/array.hpp>

#include <string>
#include <vector>

namespace tascade {

/// A task in an agent's hands, with what it expects to touch.
struct held_touches {
  task_id task;
  std::string short_id;
  std::string agent;
  task_state state = task_state::claimed;
  std::vector<std::string> touches;
};

/// The held tasks of agents other than `agent` (all of them when `agent` is empty) that overlap
/// `mine`, skipping `self`: `[{task_id, short_id, held_by, state, overlapping: [{mine,
/// theirs}]}]`, in the order of `held`.
boost::json::array touch_conflicts(const task_id& self, const std::vector<std::string>& mine,
                                   const std::vector<held_touches>& held,
                                   const std::string& agent);

/// The 409 TOUCH_CONFLICT refusal for a non-empty result of `touch_conflicts`.
caf::error touch_conflict_error(const boost::json::array& conflicts);

}  // namespace tascade
