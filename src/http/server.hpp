#pragma once
/// The HTTP server: Boost.Beast, asynchronous, several I/O threads, keep-alive, a request size
/// limit. It turns requests into catalogue calls and results into JSON responses; it holds no
/// domain rule and never blocks an I/O thread waiting for an actor.

#include "http/extra_routes.hpp"
#include "catalogue/idempotency.hpp"
#include "catalogue/invoke.hpp"
#include "http/router.hpp"
#include "tascade/operation.hpp"

#include <caf/expected.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace tascade::http {

struct server_options {
  std::string host = "127.0.0.1";
  uint16_t port = 8010;        ///< 0 picks a free port
  unsigned io_threads = 2;
  size_t body_limit = 1 << 20;  ///< bytes; larger bodies get 413
  unsigned idle_timeout_seconds = 60;
  catalogue::idempotency_store idempotency;  ///< where Idempotency-Key results live (unset: no support)
  /// Turns an Authorization header into a principal (unset: everyone is the anonymous admin).
  std::function<caf::expected<principal>(std::string_view)> authenticate;
  /// Routes beside the catalogue (MCP, event streams), asked first.
  extra_routes extra;
  /// Where refused requests are recorded as `auth_denied` (unset: not recorded).
  catalogue::denial_fn record_denial;
};

class server {
 public:
  /// `ops` must outlive the server.
  server(const std::vector<operation>& ops, server_options options);
  ~server();

  /// Binds and starts the I/O threads. Errors: `errc::unavailable` when the address is taken.
  caf::expected<void> start();
  /// The bound port (after start).
  uint16_t port() const;
  /// Stops accepting, closes connections and joins the I/O threads.
  void stop();

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace tascade::http
