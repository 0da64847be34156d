#pragma once
/// One keep-alive HTTP/1.1 connection for the load generators, written as a coroutine so that
/// hundreds of simulated agents share one I/O thread (the generator shares the machine with the
/// server it loads). A broken connection is reopened on the next request.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <optional>
#include <string>

namespace tascade::bench {

struct reply {
  int status = 0;  ///< 0: the connection failed
  std::string body;
  double server_ms = -1;  ///< the server's own time (its Server-Timing header), -1 if absent
};

class http_connection {
 public:
  http_connection(boost::asio::io_context& io, std::string host, uint16_t port);

  /// Sends one request (`body` as JSON when not empty) and reads the whole reply.
  boost::asio::awaitable<reply> request(const char* method, const std::string& target,
                                        const std::string& body = {});
  /// Sends `Authorization: Bearer <key>` with every request from now on (empty: none).
  void bearer(std::string key) { bearer_ = std::move(key); }

 private:
  boost::asio::awaitable<bool> ensure_open();

  boost::asio::io_context& io_;
  std::string host_;
  uint16_t port_;
  std::optional<boost::beast::tcp_stream> stream_;
  boost::beast::flat_buffer buffer_;
  std::string bearer_;
};

/// A blocking request on a fresh io_context, for set-up and checks outside the timed part.
reply blocking_request(const std::string& host, uint16_t port, const char* method,
                       const std::string& target, const std::string& body = {},
                       const std::string& bearer = {});

}  // namespace tascade::bench
