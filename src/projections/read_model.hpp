#pragma once
/// The read models of the hierarchy: projects, phases, milestones, tasks and dependency edges,
/// with the indexes the queries need. Fed from the log in global order; makes no decisions.

#include "tascade/event_record.hpp"
#include "tascade/ids.hpp"
#include "tascade/time.hpp"
#include "tascade/vocabulary.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace tascade::events {
struct project_created;
struct phase_created;
struct milestone_created;
struct task_created;
struct dependency_added;
}  // namespace tascade::events

namespace tascade {

struct project_view {
  project_id id;
  std::string name;
  timestamp created_at;
  global_seq seq = 0;         ///< the event that created it: the creation order
  int64_t plan_version = 1;  ///< the current plan version
};

struct phase_view {
  phase_id id;
  project_id project;
  std::string short_id;
  std::string name;
  int64_t sequence = 0;
  timestamp created_at;
};

struct milestone_view {
  milestone_id id;
  project_id project;
  phase_id phase;
  std::string short_id;
  std::string name;
  int64_t sequence = 0;
  timestamp created_at;
};

struct task_view {
  task_id id;
  project_id project;
  phase_id phase;
  milestone_id milestone;
  std::string short_id;
  std::string title;
  std::optional<std::string> description;
  task_state state = task_state::ready;
  int64_t priority = 100;
  boost::json::object work_spec;
  task_class klass = task_class::other;
  std::vector<std::string> capability_tags;
  std::vector<std::string> expected_touches;
  std::vector<std::string> exclusive_paths;
  std::vector<std::string> shared_paths;
  timestamp created_at;
  timestamp updated_at;
  global_seq seq = 0;
};

struct edge_view {
  edge_id id;
  project_id project;
  task_id from;
  task_id to;
  unlock_on unlock = unlock_on::implemented;
  timestamp created_at;
};

/// Filters and page of a task list (spec §5.6 GET /v1/tasks).
struct task_query {
  project_id project;
  std::optional<task_state> state;
  std::optional<phase_id> phase;
  std::optional<std::string> capability;
  size_t limit = 50;
  size_t offset = 0;
};

struct task_page {
  std::vector<const task_view*> items;
  size_t total = 0;
};

/// Result of resolving a task reference (a UUID or a short id).
enum class task_ref_result { found, not_found, ambiguous };

class read_model {
 public:
  /// Applies one event; `rec.seq` must be the checkpoint + 1.
  void apply(const event_record& rec);
  /// The last global sequence applied.
  global_seq checkpoint() const { return checkpoint_; }

  /// Projects, newest first (created_at desc, then creation order desc).
  std::vector<const project_view*> projects() const;
  const project_view* project(const project_id& id) const;
  /// Phases of a project ordered by sequence.
  std::vector<const phase_view*> phases(const project_id& id) const;
  const phase_view* phase(const phase_id& id) const;
  /// Milestones of a project ordered by sequence.
  std::vector<const milestone_view*> milestones(const project_id& id) const;
  const milestone_view* milestone(const milestone_id& id) const;

  const task_view* task(const task_id& id) const;
  /// Looks a task up by UUID, else by short id across all projects (spec §2.5).
  std::pair<task_ref_result, const task_view*> resolve_task(std::string_view ref) const;
  /// The filtered, ordered page; cost follows the smallest matching index, not the project.
  task_page tasks(const task_query& q) const;
  /// All tasks of a project in creation order.
  std::vector<const task_view*> tasks_in_order(const project_id& id) const;
  const edge_view* edge(const edge_id& id) const;
  /// All edges of a project in creation order.
  std::vector<const edge_view*> edges(const project_id& id) const;

  /// SHA-256 over a canonical rendering of every read model (hex); equal for equal histories.
  std::string digest() const;

 private:
  // Tasks sort by priority, then creation time, then id (spec §5.6).
  using order_key = std::tuple<int64_t, int64_t, uuid>;
  using ordered_tasks = std::set<order_key>;

  struct project_index {
    project_view project;
    std::map<int64_t, phase_id> phases_by_sequence;
    std::map<int64_t, milestone_id> milestones_by_sequence;
    std::vector<task_id> tasks_in_order;
    ordered_tasks all;
    std::array<ordered_tasks, task_state_names.size()> by_state;
    std::unordered_map<phase_id, ordered_tasks> by_phase;
    std::unordered_map<std::string, ordered_tasks> by_capability;
    std::vector<edge_id> edges;
  };

  void on(const event_record& rec, const events::project_created& e);
  void on(const event_record& rec, const events::phase_created& e);
  void on(const event_record& rec, const events::milestone_created& e);
  void on(const event_record& rec, const events::task_created& e);
  void on(const event_record& rec, const events::dependency_added& e);

  static order_key key_of(const task_view& t) {
    return {t.priority, t.created_at.micros, t.id.value};
  }

  global_seq checkpoint_ = 0;
  std::unordered_map<project_id, project_index> projects_;
  std::vector<project_id> projects_in_order_;
  std::unordered_map<phase_id, phase_view> phases_;
  std::unordered_map<milestone_id, milestone_view> milestones_;
  std::unordered_map<task_id, task_view> tasks_;
  std::unordered_multimap<std::string, task_id> tasks_by_short_id_;
  std::unordered_map<edge_id, edge_view> edges_;
};

}  // namespace tascade
