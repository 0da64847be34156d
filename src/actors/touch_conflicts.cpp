#include "actors/touch_conflicts.hpp"

#include "actors/path_glob.hpp"

#include <boost/json.hpp>

namespace tascade {

boost::json::array touch_conflicts(const task_id& self, const std::vector<std::string>& mine,
                                   const std::vector<held_touches>& held,
                                   const std::string& agent) {
  boost::json::array out;
  if (mine.empty())
    return out;
  for (auto& h : held) {
    if (h.task == self || (!agent.empty() && h.agent == agent))
      continue;
    auto pairs = overlapping_patterns(mine, h.touches);
    if (pairs.empty())
      continue;
    boost::json::array overlapping;
    for (auto& [m, t] : pairs)
      overlapping.push_back({{"mine", m}, {"theirs", t}});
    out.push_back({{"task_id", h.task.str()},
                   {"short_id", h.short_id},
                   {"held_by", h.agent},
                   {"state", to_string(h.state)},
                   {"overlapping", std::move(overlapping)}});
  }
  return out;
}

caf::error touch_conflict_error(const boost::json::array& conflicts) {
  std::string names;
  for (auto& conflict : conflicts) {
    auto& o = conflict.as_object();
    names += (names.empty() ? "" : ", ") + std::string(o.at("short_id").as_string()) +
             " (held by " + std::string(o.at("held_by").as_string()) + ")";
  }
  return make_error(errc::touch_conflict,
                    "the task's expected touches overlap those of " + names +
                      "; pass allow_conflict to claim it anyway",
                    {{"conflicts", conflicts}});
}

}  // namespace tascade
