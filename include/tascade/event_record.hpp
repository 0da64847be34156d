#pragma once
/// The event envelope: one immutable fact in the append-only log.

#include "tascade/ids.hpp"
#include "tascade/time.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace tascade {

/// SHA-256 digest bytes.
using sha256_digest = std::array<uint8_t, 32>;

/// Lowercase hex of a digest.
std::string to_hex(const sha256_digest& d);

/// An event as an actor proposes it, before the log gives it a global position.
struct new_event {
  std::string stream;           ///< `project:<uuid>` or `task:<uuid>`
  stream_version version = 0;  ///< the position the actor expects it to take in its stream
  std::string type;             ///< wire name, e.g. "task_created"
  uint16_t schema = 1;          ///< payload schema version
  timestamp time;               ///< when the actor decided it (UTC)
  std::string principal;        ///< who caused it
  std::string correlation;      ///< request correlation id (may be empty)
  std::string idempotency_key;  ///< client idempotency key (may be empty)
  boost::json::object payload;  ///< the fact, in the event's storage shape
  /// Where the server files the result of the request that caused this event (its scoped
  /// Idempotency-Key; empty: none). Not part of the envelope: the log writes a "committed"
  /// marker there in the same WriteBatch as the events, so a retry after a crash never runs
  /// the request twice.
  std::string idempotency_scope{};
};

/// An event as the log stored it.
struct event_record {
  global_seq seq = 0;
  std::string stream;
  stream_version version = 0;
  std::string type;
  uint16_t schema = 1;
  timestamp time;
  std::string principal;
  std::string correlation;
  std::string idempotency_key;
  boost::json::object payload;
  sha256_digest prev_hash{};  ///< hash of the event at seq - 1 (zeros for seq 1)
  sha256_digest hash{};       ///< SHA-256 of this event's encoded bytes
};

/// Stream names for the two kinds of aggregates.
inline std::string project_stream(const std::string& project_uuid) {
  return "project:" + project_uuid;
}
inline std::string task_stream(const std::string& task_uuid) { return "task:" + task_uuid; }
/// A plan of the planner (issue 17): its creation and its context cards.
inline std::string plan_stream(const std::string& plan_uuid) { return "plan:" + plan_uuid; }

}  // namespace tascade
