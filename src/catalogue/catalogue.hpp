#pragma once
/// The operation catalogue: every operation Tascade offers, once. The REST router, the OpenAPI
/// document and the MCP tool list are all generated from this table, and every transport runs
/// an operation through `invoke` (catalogue/invoke.hpp). Nothing in this folder knows HTTP
/// sessions or JSON-RPC: `src/http/` and `src/mcp/` depend on it, never on each other.
///
/// How to add an operation:
/// 1. Write it in the file of its area, one file per aggregate or area, returning rows from a
///    `<area>_operations(const services&)` function: `project_operations.cpp`,
///    `execution_operations.cpp` (claims, leases, transitions, artifacts),
///    `governance_operations.cpp` (gates, policies, plan changesets), `key_operations.cpp`.
///    A new area gets a new file (metrics would go in `metrics_operations.cpp`), declared below
///    and appended in `make_catalogue` (catalogue.cpp), and listed in CMakeLists.txt.
/// 2. A row names the operation (also its MCP tool name), its REST method and path, the roles
///    it accepts, its input fields (`operation_support.hpp` has the field helpers) and a
///    handler. Commands go to the actors (`run_command`); queries read the projections
///    (`run_query`). Rules belong in `src/actors/` or `src/projections/`, not in the handler.
/// 3. Its response shape goes in `json/` (the API shapes) and its OpenAPI component in
///    `openapi*.cpp`, named by the row's `response_schema`.
/// Validation, authorization, idempotency and error mapping come from `invoke`: a handler
/// only calls `ctx.reply` or `ctx.fail` once.

#include "actors/ask.hpp"
#include "events/event_log.hpp"
#include "projections/projection_hub.hpp"
#include "tascade/operation.hpp"

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>

#include <functional>
#include <optional>
#include <vector>

namespace tascade::catalogue {

/// What the handlers reach: the actor world for commands, the projections for queries.
struct services {
  caf::actor_system* sys = nullptr;
  caf::actor registry;
  projection_hub* hub = nullptr;
  const event_log* log = nullptr;  ///< for timelines read straight from the log
  /// When a key last authenticated a request (unset without authentication).
  std::function<std::optional<timestamp>(const std::string& key_id)> last_used{};
  std::shared_ptr<asker> ask{};  ///< sends commands to the registry
  caf::actor alert_desk{};       ///< owns metric alerts (issue 13)
  bool scrape_public = true;     ///< GET /metrics without a key (loopback servers)
  caf::actor plan_book{};        ///< the planner's actor (issue 17): plans and their cards
};

/// The execution operations (claims, leases, transitions, artifacts, ...).
std::vector<operation> execution_operations(const services& s);

/// The API-key operations.
std::vector<operation> key_operations(const services& s);

/// The governance operations (gates, policies, plan changesets; issue 4).
std::vector<operation> governance_operations(const services& s);

/// The metrics operations (issue 13): summary, trends, breakdown, drilldown, alerts, actions,
/// milestone health and the Prometheus scrape.
std::vector<operation> metrics_operations(const services& s);
/// The planner's operations (issue 17): /plans, executor callbacks, apply to a project.
std::vector<operation> plan_operations(const services& s);

/// Builds the catalogue. Handlers capture `s`, which must outlive the returned operations.
std::vector<operation> make_catalogue(const services& s);

}  // namespace tascade::catalogue
