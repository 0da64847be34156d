#pragma once
/// API keys (spec §4): the keyring actor owns every key on the `keyring` stream. Raw keys never
/// reach it: callers generate a key, keep the raw form for the client, and send its hash.

#include "actors/actor_deps.hpp"
#include "actors/commit.hpp"
#include "actors/commands.hpp"
#include "actors/denial_window.hpp"
#include "events/events.hpp"

#include <caf/all.hpp>

#include <string>
#include <unordered_map>
#include <vector>

namespace tascade {

/// The stream of every key event.
inline const std::string keyring_stream = "keyring";

/// The five roles, in the spec's order.
inline const std::vector<std::string> role_names{"planner", "agent", "reviewer", "operator",
                                                 "admin"};

struct keyring_state {
  struct key {
    std::string project;  ///< a project UUID or "*"
    std::string name;
    bool revoked = false;
  };
  std::unordered_map<uuid, key, uuid_hash> keys;
  uint64_t version = 0;
};

struct create_key {
  command_meta meta;
  std::string project;  ///< a project UUID, or "*" for a global key
  std::string name;
  std::vector<std::string> roles;
  std::string hash;
  std::string created_by;
};

struct revoke_key {
  command_meta meta;
  std::string key;
  std::string project;  ///< the project the caller names; "*" reaches every key
  std::string revoked_by;
};

/// INVALID_ROLES for a role outside the five; PROJECT_NOT_FOUND for a project that does not
/// exist (a key's project is stored in canonical form, or "*").
caf::expected<std::vector<events::event>> decide(
  const keyring_state& s, const create_key& c, const uuid& new_id,
  const std::function<bool(const project_id&)>& project_exists);
/// API_KEY_NOT_FOUND, PROJECT_MISMATCH (403) for another project's key, ALREADY_REVOKED.
caf::expected<std::vector<events::event>> decide(const keyring_state& s, const revoke_key& c);
void apply(keyring_state& s, const events::event& ev);

/// A fresh raw key: `tsk_` and 64 lowercase hex digits of 32 random bytes from the OS.
std::string generate_api_key();

/// Rebuilds the keyring from its stream. Errors: `errc::storage_failure`.
caf::expected<keyring_state> rehydrate_keyring(const event_log& log);

/// Issues a key straight into the log, for the first start and `tascade keys create` (no actor
/// may run on the log meanwhile). Returns the raw key, shown once.
caf::expected<std::string> issue_key_offline(event_log& log, const std::string& project,
                                             const std::string& name,
                                             const std::vector<std::string>& roles,
                                             const std::string& created_by, timestamp now);

/// A request the authorization check refused, to record as `auth_denied` (fire and forget: a
/// lost audit write never fails the request, spec §4.4).
struct record_denial {
  denial what;
};

/// Internal: the keyring's timer for closing denial windows (an anonymous self-send).
struct close_denials {};

struct keyring_actor_state {
  keyring_state domain;  ///< durable plus in-flight events (commit.hpp)
  commit_pipeline pipe;
  caf::error broken;
  denial_window denials;
  bool close_scheduled = false;
  static inline const char* name = "keyring";
};

/// Handles create_key and revoke_key, answered with `command_done` or the rule's error, and
/// record_denial, which appends aggregated `auth_denied` events to the keyring stream.
caf::behavior keyring_behavior(caf::stateful_actor<keyring_actor_state>* self, actor_deps deps);

}  // namespace tascade

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::create_key)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::revoke_key)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::record_denial)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(tascade::close_denials)
