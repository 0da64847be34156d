#pragma once
/// One running Tascade: the event log, the log writer, the projections, the actors and the
/// HTTP server, wired together and started in that order (and stopped in reverse).

#include "actors/actor_deps.hpp"
#include "actors/ask.hpp"
#include "app/config.hpp"
#include "events/event_log.hpp"
#include "projections/projection_hub.hpp"
#include "tascade/operation.hpp"

#include <caf/actor.hpp>
#include <caf/expected.hpp>

#include <memory>
#include <vector>

namespace caf {
class actor_system;
class actor_system_config;
}  // namespace caf

namespace tascade {

namespace http {
class server;
class authenticator;
class stream_routes;
}  // namespace http
namespace mcp {
class dispatcher;
class http_transport;
}  // namespace mcp
class subscription_hub;
class checkpointer;
class heap_trimmer;

class node {
 public:
  /// Opens the log, rebuilds the projections, starts the actors and the HTTP server.
  /// Errors: `errc::storage_failure` (log), `errc::unavailable` (address in use).
  static caf::expected<std::unique_ptr<node>> start(const config& cfg);
  ~node();

  uint16_t port() const;
  /// Events replayed into the projections at start.
  uint64_t replayed() const { return replayed_; }
  const projection_hub& projections() const { return hub_; }
  /// Stops HTTP, then the registry with every actor it started (waiting until they are down),
  /// then the log writer; idempotent. The destructor writes the final read-model checkpoint.
  void stop();

 private:
  node() = default;

  config cfg_;
  std::unique_ptr<event_log> log_;
  projection_hub hub_;
  std::unique_ptr<caf::actor_system_config> actor_cfg_;
  std::unique_ptr<caf::actor_system> sys_;
  caf::actor writer_;
  caf::actor registry_;
  caf::actor alert_desk_;  ///< metric alerts (issue 13)
  caf::actor plan_book_;  ///< the planner's actor (issue 17)
  std::shared_ptr<asker> asker_;  ///< HTTP and MCP requests into the actors
  std::vector<operation> ops_;
  std::unique_ptr<http::authenticator> auth_;
  std::unique_ptr<subscription_hub> events_;      ///< live event fan-out (before the writer)
  std::unique_ptr<mcp::dispatcher> mcp_;          ///< MCP over every transport (outlives streams_)
  std::unique_ptr<mcp::http_transport> mcp_http_;  ///< MCP Streamable HTTP sessions
  std::unique_ptr<http::stream_routes> streams_;  ///< MCP and event streams (outlive server_)
  std::unique_ptr<http::server> server_;
  uint64_t replayed_ = 0;
  std::unique_ptr<checkpointer> checkpointer_;  ///< read-model checkpoints (issue 7)
  std::unique_ptr<heap_trimmer> trimmer_;  ///< returns freed heap pages (issue 7)
  bool stopped_ = false;
};

/// The facts actors read, served by the projections of `hub` (which must outlive them).
facts facts_of(const projection_hub& hub);

/// The CAF configuration Tascade needs: its error category and the scheduler size.
void configure_actor_system(caf::actor_system_config& cfg, unsigned threads);

}  // namespace tascade
