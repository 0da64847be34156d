#pragma once
/// Commands on one task. Task and project references stay strings until a rule judges them.

#include "actors/commands.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tascade {

/// Claim TTLs: the reference's 5 minutes by default; fractions allowed (tests use them).
inline constexpr double default_lease_seconds = 300;
/// Reservation TTL default of the reference.
inline constexpr double default_reservation_seconds = 1800;
inline constexpr double min_ttl_seconds = 0.01;
inline constexpr double max_ttl_seconds = 86400;

/// Proof of a lease a client may send with a write, to make the fencing check exact.
struct lease_proof {
  std::optional<std::string> token;
  std::optional<uint64_t> fencing;
};

struct claim_task {
  command_meta meta;
  std::string project;
  std::string task;
  std::string agent;
  std::optional<int64_t> seen_plan_version;
  double ttl_seconds = default_lease_seconds;
  std::optional<std::vector<std::string>> capabilities;  ///< checked when given
  bool allow_conflict = false;  ///< claim even if its expected touches overlap a held task's
};

struct heartbeat_task {
  command_meta meta;
  std::string project;
  std::string task;
  std::string agent;
  std::string token;
  std::optional<int64_t> seen_plan_version;
  std::optional<double> ttl_seconds;  ///< default: the lease's own TTL
};

struct assign_task {
  command_meta meta;
  std::string project;
  std::string task;
  std::string assignee;
  std::string created_by;
  double ttl_seconds = default_reservation_seconds;
  std::optional<std::vector<std::string>> capabilities;  ///< the assignee's, checked when given
};

struct unassign_task {
  command_meta meta;
  std::string project;
  std::string task;
};

struct transition_task {
  command_meta meta;
  std::string project;
  std::string task;
  task_state to = task_state::ready;
  std::string actor;
  std::string reason;
  std::optional<std::string> reviewed_by;
  std::vector<std::string> review_evidence_refs;
  bool force = false;
  lease_proof proof;
};

struct record_artifact {
  command_meta meta;
  std::string project;
  std::string task;
  std::string agent;
  std::optional<std::string> branch;
  std::optional<std::string> commit_sha;
  std::optional<std::string> check_suite_ref;
  std::string check_status = "pending";
  std::vector<std::string> touched_files;
  lease_proof proof;
};

struct enqueue_attempt {
  command_meta meta;
  std::string project;
  std::string task;
  std::optional<std::string> base_sha;
  std::optional<std::string> head_sha;
  boost::json::object diagnostics;
};

struct record_attempt_result {
  command_meta meta;
  std::string project;
  std::string attempt;
  std::string result;
  boost::json::object diagnostics;
};

/// Claim the best task the agent may take now (its reservations first, then priority and age).
struct claim_next {
  command_meta meta;
  std::string project;
  std::string agent;
  std::optional<int64_t> seen_plan_version;
  double ttl_seconds = default_lease_seconds;
  std::vector<std::string> capabilities;
  bool allow_conflict = false;
};

/// Internal: start a task's actor so its timers run (after a restart).
struct wake_task {
  task_id task;
};

/// Internal: a timer fired for the lease with this fencing counter, or this reservation.
/// `generation` tells the actor's newest timer from ones a later arming superseded.
struct lease_timer {
  uint64_t fencing = 0;
  uint64_t generation = 0;
};
struct reservation_timer {
  uuid reservation;
  uint64_t generation = 0;
};

}  // namespace tascade

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::claim_task)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::heartbeat_task)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::assign_task)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::unassign_task)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::transition_task)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::record_artifact)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::enqueue_attempt)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::record_attempt_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::claim_next)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::wake_task)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::lease_timer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::reservation_timer)
