#pragma once
/// What a task actor decides with: one task's lifecycle (state, lease, reservation, review
/// facts, artifact and attempt counters), folded from its creation event and its own stream.

#include "tascade/ids.hpp"
#include "tascade/time.hpp"
#include "tascade/vocabulary.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace tascade {

struct lease_state {
  uuid id;
  std::string token;
  std::string agent;
  uint64_t fencing = 0;
  int64_t ttl_micros = 0;
  timestamp expires_at;
  int64_t plan_version = 1;  ///< the plan version the claim was made on
};

struct reservation_state {
  uuid id;
  std::string assignee;
  timestamp expires_at;
  int64_t plan_version = 0;  ///< the plan it was made on (0: not recorded)
};

/// Why a lease ended. Only `released` (the holder's own transition) leaves its holder free to
/// write on the task, and only while nobody else holds it.
enum class lease_end : uint8_t { released, expired, invalidated, superseded };

struct task_aggregate {
  task_id id;
  project_id project;
  bool exists = false;
  std::string short_id;
  task_class klass = task_class::other;
  task_state state = task_state::ready;
  boost::json::object work_spec;
  std::vector<std::string> capability_tags;
  uint64_t version = 0;  ///< events applied from the task's own stream
  uint64_t fencing = 0;  ///< the highest fencing counter issued
  std::optional<lease_state> lease;
  std::optional<reservation_state> reservation;
  std::optional<std::string> implemented_by;  ///< who moved it to implemented last
  std::unordered_map<std::string, lease_end> ended_tokens;  ///< token → how its lease ended
  std::unordered_map<std::string, lease_end> lost_by;  ///< former holder → how its lease ended
  int64_t artifact_counter = 0;
  int64_t attempt_counter = 0;
  std::unordered_set<uuid, uuid_hash> attempts;
  // Issue 4: what scope drift is measured against, and which plan change ended which lease.
  std::vector<std::string> expected_touches;
  struct invalidation {
    uuid changeset;
    int64_t plan_version = 1;
  };
  std::unordered_map<std::string, invalidation> invalidated_tokens;  ///< token → plan change
  std::unordered_map<std::string, invalidation> invalidated_agents;  ///< holder → plan change
};

/// Whether the task is in an agent's hands, so a lease must be live.
constexpr bool holds_lease(task_state s) {
  return s == task_state::claimed || s == task_state::in_progress;
}

}  // namespace tascade
