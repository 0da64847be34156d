#pragma once
/// Clients for the long-lived connections of end-to-end tests: a Server-Sent Events reader (plain
/// POSIX socket, so a test can make it deliberately slow with a tiny receive buffer) and a
/// WebSocket client (Boost.Beast) with timeouts on every receive.

#include "tests/support/http_client.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace tascade::test {

struct sse_event {
  std::string id;
  std::string event;  ///< "message" when the server names none
  std::string data;
};

class sse_client {
 public:
  /// Opens `GET target` with `Accept: text/event-stream`. `receive_buffer` > 0 shrinks the
  /// socket's receive buffer (before connecting), for a subscriber that reads slowly.
  sse_client(uint16_t port, std::string target, const header_list& headers = {},
             int receive_buffer = 0);
  ~sse_client();
  sse_client(const sse_client&) = delete;
  sse_client& operator=(const sse_client&) = delete;

  /// The response status (after the headers arrived; 0 when the server closed first).
  int status() const { return status_; }
  /// The body of a refused request (status != 200).
  const std::string& body() const { return body_; }

  /// The next event, or nullopt on timeout or when the stream has ended.
  std::optional<sse_event> next(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// True once the server closed the stream.
  bool ended() const { return ended_; }

 private:
  bool fill(std::chrono::milliseconds timeout);  // reads more bytes; false on timeout or EOF
  int fd_ = -1;
  int status_ = 0;
  std::string body_;
  std::string pending_;
  bool ended_ = false;
};

class ws_client {
 public:
  /// Connects and upgrades `target`, asking for `subprotocol` when not empty. Throws
  /// `std::runtime_error` naming the HTTP status when the upgrade is refused.
  /// `receive_buffer` > 0 shrinks the socket's receive buffer, for a subscriber that reads slowly.
  ws_client(uint16_t port, std::string target, const header_list& headers = {},
            std::string subprotocol = "", int receive_buffer = 0);
  ~ws_client();

  /// The subprotocol the server accepted (empty when none).
  const std::string& subprotocol() const;
  void send(const std::string& text);
  /// The next text message, or nullopt on timeout or once the connection closed.
  std::optional<std::string> receive(std::chrono::milliseconds timeout = std::chrono::seconds(10));
  /// After the server closed: its close code and reason.
  int close_code() const;
  std::string close_reason() const;

  /// Attempts the upgrade and returns the HTTP status the server answered (101 on success).
  static int upgrade_status(uint16_t port, std::string target, const header_list& headers = {},
                            std::string subprotocol = "");

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace tascade::test
