#pragma once
/// The operation catalogue: every operation Tascade offers, once. The REST router, the OpenAPI
/// document and the MCP tool list are all generated from this table.

#include "actors/ask.hpp"
#include "events/event_log.hpp"
#include "projections/projection_hub.hpp"
#include "tascade/operation.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <functional>
#include <optional>
#include <vector>

namespace tascade::http {

/// What the handlers reach: the actor world for commands, the projections for queries.
struct services {
  caf::actor_system* sys = nullptr;
  caf::actor registry;
  projection_hub* hub = nullptr;
  const event_log* log = nullptr;  ///< for timelines read straight from the log
  /// When a key last authenticated a request (unset without authentication).
  std::function<std::optional<timestamp>(const std::string& key_id)> last_used{};
  std::shared_ptr<asker> ask{};  ///< sends commands to the registry
};

/// The execution operations (claims, leases, transitions, artifacts, ...).
std::vector<operation> execution_operations(const services& s);

/// The API-key operations.
std::vector<operation> key_operations(const services& s);

/// The governance operations (gates, policies, plan changesets; issue 4).
std::vector<operation> governance_operations(const services& s);

/// Builds the catalogue. Handlers capture `s`, which must outlive the returned operations.
std::vector<operation> make_catalogue(const services& s);

}  // namespace tascade::http
