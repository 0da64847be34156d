#pragma once
/// The read models of the hierarchy: projects, phases, milestones, tasks and dependency edges,
/// with the indexes the queries need. Fed from the log in global order; makes no decisions.

#include "events/events.hpp"
#include "projections/boxed.hpp"
#include "projections/boxed_vector.hpp"
#include "projections/json_text.hpp"
#include "projections/metrics/metrics_projection.hpp"
#include "projections/plan_views.hpp"
#include "tascade/event_record.hpp"
#include "tascade/ids.hpp"
#include "tascade/time.hpp"
#include "tascade/vocabulary.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>


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

/// A lease as the API shows it (spec §2.3 Lease).
struct lease_view {
  uuid id;
  std::string agent;
  std::string token;
  std::string status = "active";  ///< active, released, expired
  timestamp expires_at;
  timestamp heartbeat_at;
  uint64_t fencing = 0;
  timestamp created_at;
  std::optional<timestamp> released_at;
};

struct reservation_view {
  uuid id;
  std::string assignee;
  std::string status = "active";  ///< active, consumed, released, expired
  int64_t ttl_micros = 0;
  std::string created_by;
  timestamp created_at;
  timestamp expires_at;
  std::optional<timestamp> released_at;
};

struct snapshot_view {
  uuid id;
  uuid lease;
  int64_t plan_version = 1;
  std::string work_spec_hash;
  boost::json::object work_spec;
  std::string captured_by;
  timestamp captured_at;
};

struct artifact_view {
  uuid id;
  std::string short_id;
  std::string agent;
  std::optional<std::string> branch;
  std::optional<std::string> commit_sha;
  std::optional<std::string> check_suite_ref;
  std::string check_status;
  std::vector<std::string> touched_files;
  timestamp created_at;
};

struct attempt_view {
  uuid id;
  task_id task;
  project_id project;
  std::string short_id;
  std::optional<std::string> base_sha;
  std::optional<std::string> head_sha;
  std::string result = "queued";
  boost::json::object diagnostics;
  timestamp started_at;
  std::optional<timestamp> ended_at;
};

struct task_view {
  task_id id;
  project_id project;
  phase_id phase;
  milestone_id milestone;
  std::string short_id;
  std::string title;
  boxed<std::string> description;  // boxed: absent in most tasks
  task_state state = task_state::ready;
  int64_t priority = 100;
  json_text work_spec;  ///< as text: see json_text.hpp
  task_class klass = task_class::other;
  boxed_vector<std::string> capability_tags;  // boxed: empty in many tasks
  boxed_vector<std::string> expected_touches;
  boxed_vector<std::string> exclusive_paths;  // boxed: empty in most tasks
  boxed_vector<std::string> shared_paths;
  timestamp created_at;
  timestamp updated_at;
  global_seq seq = 0;

  // Execution (issue 3): the newest lease and reservation, and what hangs off the task.
  // Boxed: most tasks never have either, and inline they would cost 328 B in every task.
  boxed<lease_view> lease;
  boxed<reservation_view> reservation;
  boxed_vector<snapshot_view> snapshots;  // boxed: tasks never claimed have none
  boxed_vector<artifact_view> artifacts;
  boxed_vector<uuid> attempts;
  std::vector<global_seq> timeline;  ///< the log positions of the task's events
  std::vector<edge_id> in_edges;
  std::vector<edge_id> out_edges;
  uint32_t unmet = 0;  ///< incoming edges not satisfied yet

  // Governance (issue 4).
  boxed_vector<std::string> gate_links;  ///< candidate links written at creation (gate tasks)
  boxed_vector<std::string> drifted_files;  ///< touched files beyond expected_touches, in order
  bool gate_approved = false;              ///< an approving gate decision names the task
  int64_t material_version = 0;            ///< plan version of its last material change
  boxed<uuid> material_changeset;          ///< the changeset of that change

  bool live_lease() const { return lease && lease->status == "active"; }
  bool live_reservation() const { return reservation && reservation->status == "active"; }
};

struct edge_view {
  edge_id id;
  project_id project;
  task_id from;
  task_id to;
  unlock_on unlock = unlock_on::implemented;
  timestamp created_at;
};

/// An API key as listed (spec §5.2 ApiKeyInfo), plus its hash for authentication.
struct key_view {
  uuid id;
  std::string project;  ///< a project UUID or "*"
  std::string name;
  std::vector<std::string> roles;
  std::string status = "active";
  std::string created_by;
  std::string hash;
  timestamp created_at;
  std::optional<timestamp> revoked_at;
};

struct gate_rule_view {
  uuid id;
  project_id project;
  std::string name;
  boost::json::object scope;
  boost::json::object conditions;
  boost::json::object required_evidence;
  std::vector<std::string> required_reviewer_roles;
  bool is_active = true;
  timestamp created_at;
};

struct gate_decision_view {
  uuid id;
  project_id project;
  uuid gate_rule;
  std::optional<task_id> task;
  std::optional<phase_id> phase;
  std::string outcome;
  std::string actor;
  std::string reason;
  std::vector<std::string> evidence_refs;
  timestamp created_at;
};

struct changeset_view {
  uuid id;
  project_id project;
  int64_t base_plan_version = 1;
  int64_t target_plan_version = 1;
  std::string status = "draft";  ///< draft, applied
  boost::json::array operations;
  std::string created_by;
  timestamp created_at;
  std::optional<timestamp> applied_at;
  int64_t times_applied = 0;
};

struct plan_version_view {
  plan_version_id id;
  project_id project;
  int64_t number = 1;
  std::optional<uuid> changeset;
  std::string summary;
  timestamp created_at;
};

/// One candidate of a gate (spec §10.3).
struct gate_candidate {
  std::string task_id;
  const struct task_view* task = nullptr;  ///< null when not found in the gate's project
  bool has_artifact = false;
  bool has_integration_attempt = false;
  bool is_ready = false;
};

/// A gate's candidate readiness (spec §10.3).
struct candidate_readiness {
  std::string source;  ///< gate_candidate_link or work_spec
  std::vector<gate_candidate> candidates;
  size_t ready = 0;
  bool status_ready() const { return !candidates.empty() && ready == candidates.size(); }
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

/// Why a task is not claimable by an agent, for claim-next's answer.
struct blocked_candidate {
  const task_view* task = nullptr;
  std::string reason;  ///< waiting_on_dependencies, reserved_for_other, held
};

/// Result of resolving a task reference (a UUID or a short id).
enum class task_ref_result { found, not_found, ambiguous };

class read_model {
  friend struct read_model_checkpoint;  // saves and loads every container as it is

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
  /// Looks a task up by UUID, else by short id (spec §2.5), among the tasks of `scope` (a
  /// project UUID, or "*" for every project).
  std::pair<task_ref_result, const task_view*> resolve_task(std::string_view ref,
                                                            std::string_view scope = "*") const;
  /// The filtered, ordered page; cost follows the smallest matching index, not the project.
  task_page tasks(const task_query& q) const;
  /// All tasks of a project in creation order.
  std::vector<const task_view*> tasks_in_order(const project_id& id) const;
  const edge_view* edge(const edge_id& id) const;
  /// All edges of a project in creation order.
  std::vector<const edge_view*> edges(const project_id& id) const;

  /// Tasks the agent may claim now (spec §7.3, plus its own reservations), ordered by priority
  /// then age; cost follows the ready tasks looked at, not the project's size. With
  /// `capabilities`, a task must carry one of them. With `limit`, only the first `limit` ready
  /// tasks of each index are looked at (the agent's reservations always are): enough for a
  /// caller that wants the best `limit`, at a cost independent of how many are ready.
  std::vector<const task_view*> ready_tasks(const project_id& project, const std::string& agent,
                                            const std::vector<std::string>& capabilities,
                                            size_t limit = SIZE_MAX) const;
  /// Up to `limit` tasks per reason that the agent cannot claim now, most urgent first.
  std::vector<blocked_candidate> blocked_candidates(const project_id& project,
                                                    const std::string& agent,
                                                    size_t limit) const;
  /// Incoming edges of `task` whose prerequisite does not satisfy them yet.
  std::vector<const edge_view*> unmet_edges(const task_id& task) const;
  /// Dependents of `task` whose edge from it its current state satisfies but `before` did not,
  /// and that are now claimable (ready or reserved, every dependency satisfied).
  std::vector<task_id> unlocked_dependents(const task_id& task, task_state before) const;
  const attempt_view* attempt(const uuid& id) const;
  /// The key whose SHA-256 (hex) is `hash`, revoked or not.
  const key_view* key_by_hash(const std::string& hash) const;
  const key_view* key(const uuid& id) const;
  /// Keys of a project ("*": every key), newest first.
  std::vector<const key_view*> keys(const std::string& project) const;
  /// Tasks with a live lease or reservation: their actors must run to keep the deadlines.
  std::vector<task_id> tasks_with_deadlines() const;
  /// Breadth-first walks over prerequisites (`up`) or dependents, with depth (spec §13.1).
  std::vector<std::pair<const task_view*, int>> related(const task_id& task, bool up,
                                                        int max_depth) const;

  // ---- governance (issue 4) ----
  const gate_rule_view* gate_rule(const uuid& id) const;
  /// Decisions of a project, newest first, filtered by task and phase when given.
  std::vector<const gate_decision_view*> gate_decisions(const project_id& project,
                                                        const std::optional<std::string>& task,
                                                        const std::optional<std::string>& phase)
    const;
  const changeset_view* changeset(const uuid& id) const;
  /// A project's plan versions, oldest first.
  std::vector<const plan_version_view*> plan_versions(const project_id& project) const;
  /// The candidates of a gate task and their readiness.
  candidate_readiness readiness(const task_view& gate) const;
  /// Whether a material plan change hit the task after the claim that made `lease` (an
  /// in-progress task keeps its lease through one: its agent should re-read the task).
  bool changed_since_claim(const task_view& t, const uuid& lease) const;
  /// Tasks of a project in the agent's hands (claimed or in progress, live lease), by priority.
  std::vector<const task_view*> held_tasks(const project_id& project) const;

  // ---- the planner (issue 17) ----
  const plan_view* plan(const uuid& id) const;
  /// The plan of (projectId, runId), if any.
  const plan_view* plan_by_run(const std::string& project_ref, const std::string& run_id) const;
  /// The plan holding node `node`.
  const plan_view* plan_of_node(const uuid& node) const;
  const context_card_view* context_card(const uuid& id) const;

  /// SHA-256 over a canonical rendering of every read model (hex); equal for equal histories.
  std::string digest() const;

  /// The metrics projection (issue 13), fed by `apply` after each event.
  const metrics_projection& metrics() const { return metrics_; }
  /// Whether `apply` feeds the metrics projection (on by default; the rebuild bench turns it
  /// off to measure what it costs). Set before the first event.
  void metrics_enabled(bool on) { metrics_on_ = on; }

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
    // The ready index: tasks in `ready` with every dependency satisfied, overall and per
    // capability, and reserved tasks with every dependency satisfied, per assignee.
    ordered_tasks ready;
    std::unordered_map<std::string, ordered_tasks> ready_by_capability;
    std::unordered_map<std::string, ordered_tasks> reserved_for;
    // Governance (issue 4), in creation order.
    std::vector<uuid> gate_rules;
    std::vector<uuid> gate_decisions;
    std::vector<uuid> changesets;
    std::vector<plan_version_view> plan_versions;
  };

  void on(const event_record& rec, const events::project_created& e);
  void on(const event_record& rec, const events::phase_created& e);
  void on(const event_record& rec, const events::milestone_created& e);
  void on(const event_record& rec, const events::task_created& e);
  void on(const event_record& rec, const events::dependency_added& e);
  void on(const event_record& rec, const events::task_claimed& e);
  void on(const event_record& rec, const events::lease_renewed& e);
  void on(const event_record& rec, const events::lease_expired& e);
  void on(const event_record& rec, const events::task_assigned& e);
  void on(const event_record& rec, const events::reservation_released& e);
  void on(const event_record& rec, const events::task_state_transitioned& e);
  void on(const event_record& rec, const events::artifact_recorded& e);
  void on(const event_record& rec, const events::integration_attempt_enqueued& e);
  void on(const event_record& rec, const events::integration_result_recorded& e);
  void on(const event_record& rec, const events::tasks_unlocked& e);
  void on(const event_record& rec, const events::key_created& e);
  void on(const event_record& rec, const events::key_revoked& e);
  void on(const event_record& rec, const events::gate_rule_created& e);
  void on(const event_record& rec, const events::gate_decision_recorded& e);
  void on(const event_record& rec, const events::changeset_created& e);
  void on(const event_record& rec, const events::changeset_applied& e);
  void on(const event_record& rec, const events::gate_policies_evaluated& e);
  void on(const event_record& rec, const events::lease_invalidated& e);
  void on(const event_record& rec, const events::reservation_invalidated& e);
  void on(const event_record& rec, const events::scope_drift_detected& e);
  // Metric alerts are the metrics projection's alone.
  void on(const event_record&, const events::alert_raised&) {}
  void on(const event_record&, const events::alert_resolved&) {}
  void on(const event_record&, const events::alert_acknowledged&) {}
  void on(const event_record&, const events::alert_thresholds_set&) {}
  void on(const event_record& rec, const events::auth_denied& e);
  void on(const event_record& rec, const events::plan_created& e);
  void on(const event_record& rec, const events::plan_rerun& e);
  void on(const event_record& rec, const events::context_card_recorded& e);
  void on(const event_record& rec, const events::plan_applied& e);
  /// Starts a plan's view (plan_created and plan_rerun).
  plan_view& add_plan(const event_record& rec, const uuid& id, const std::string& project_ref,
                      const std::string& run_id, const boost::json::object& plan);
  /// Links a rerun plan to the changeset made of its proposal (`created_by` "plan:<id>").
  void note_plan_changeset(const events::changeset_created& e);
  /// A rerun plan whose proposed changeset was applied is applied too: its nodes map to the
  /// project's live tasks of the same node key (`work_spec.plan.node_key`).
  void note_plan_changeset_applied(const events::changeset_applied& e);
  /// The digest lines of the plans and their cards.
  void plans_digest(const std::function<void(const boost::json::value&)>& line) const;
  /// Applies one changeset update's fields to a task, keeping every index right.
  void apply_plan_update(task_view& t, const boost::json::object& fields, timestamp when);
  /// The governance lines of one project's digest.
  void governance_digest(const project_id& id,
                         const std::function<void(const boost::json::value&)>& line) const;

  task_view* mutable_task(const task_id& id);
  /// Moves a task to `state`, keeping the state index, the ready index and its dependents'
  /// unmet counts right.
  void set_state(task_view& t, task_state state, timestamp when);
  /// Every execution or plan event changes one task: out of the ready index, changed, back in
  /// where it now belongs.
  template <class Change>
  void update_task(const event_record& rec, const task_id& id, Change change) {
    auto* t = mutable_task(id);
    if (!t)
      return;
    unindex_ready(*t);
    change(*t);
    t->timeline.push_back(rec.seq);
    index_ready(*t);
  }
  void unindex_ready(const task_view& t);
  void index_ready(const task_view& t);

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
  std::unordered_map<uuid, attempt_view, uuid_hash> attempts_;
  std::unordered_map<uuid, key_view, uuid_hash> keys_;
  std::unordered_map<std::string, uuid> keys_by_hash_;
  std::vector<uuid> keys_in_order_;
  std::unordered_map<uuid, gate_rule_view, uuid_hash> gate_rules_;
  std::unordered_map<uuid, gate_decision_view, uuid_hash> gate_decisions_;
  std::unordered_map<uuid, changeset_view, uuid_hash> changesets_;
  metrics_projection metrics_;
  bool metrics_on_ = true;
  // The planner (issue 17).
  std::unordered_map<uuid, plan_view, uuid_hash> plans_;
  std::vector<uuid> plans_in_order_;
  std::map<std::pair<std::string, std::string>, uuid> plans_by_run_;
  std::unordered_map<uuid, uuid, uuid_hash> plan_of_node_;
  std::unordered_map<uuid, context_card_view, uuid_hash> cards_;
};

}  // namespace tascade
