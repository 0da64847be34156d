#pragma once
/// The state a project actor decides with: its hierarchy, counters, task membership and edges.
/// Everything else about tasks lives in the read models and (from issue 3) task actors.

#include "tascade/ids.hpp"
#include "tascade/vocabulary.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tascade {

struct project_state {
  struct phase_info {
    std::string short_id;
    int64_t milestone_counter = 0;
  };
  struct milestone_info {
    phase_id phase;
    std::string short_id;
    int64_t task_counter = 0;
  };

  project_id id;
  bool exists = false;
  std::string name;
  uint64_t version = 0;  ///< the project stream's version: events applied so far
  int64_t phase_counter = 0;
  std::set<int64_t> phase_sequences;
  std::set<int64_t> milestone_sequences;
  std::unordered_map<phase_id, phase_info> phases;
  std::unordered_map<milestone_id, milestone_info> milestones;
  std::unordered_map<task_id, task_state> tasks;
  std::unordered_map<task_id, std::vector<task_id>> dependents;  ///< from → [to]

  /// Whether the edge from → to exists (a scan of from's dependents: a task has few, and a
  /// separate set of pairs cost ~80 B per edge in every project actor).
  bool has_edge(const task_id& from, const task_id& to) const;

  // Governance (issue 4): the current plan version, gate rules, changesets.
  struct changeset_info {
    int64_t base = 1;
    int64_t target = 1;
    boost::json::array operations;
  };
  int64_t plan_version = 1;
  std::set<uuid> gate_rules;
  std::map<uuid, changeset_info> changesets;
  std::set<uuid> applied_plans;  ///< plans of the planner applied to this project (issue 17)

  /// The snapshot form (JSON object) and back; `from_snapshot` returns false when malformed.
  boost::json::object to_snapshot() const;
  static bool from_snapshot(const boost::json::object& snap, project_state& out);
  /// The governance part of the snapshot, and back (inside from_snapshot's try block).
  boost::json::object governance_snapshot() const;
  bool restore_governance(const boost::json::object& g);
};

}  // namespace tascade
