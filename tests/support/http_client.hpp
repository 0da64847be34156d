#pragma once
/// A small blocking HTTP/1.1 client for end-to-end tests (Boost.Beast, synchronous).
///
/// One client holds one keep-alive connection to 127.0.0.1:port, opened on first use and
/// reopened after the server announces `Connection: close`. Failures to connect, write or read
/// throw `std::runtime_error`, which GoogleTest reports as a failed test.

#include <boost/json/value.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tascade::test {

/// Extra request headers, sent in order.
using header_list = std::vector<std::pair<std::string, std::string>>;

struct http_response {
  int status = 0;  ///< 0 when the server closed the connection without answering
  std::string body;
  std::map<std::string, std::string> headers;  ///< names lower-cased
  bool keep_alive = false;                     ///< the server will keep the connection open

  /// The body parsed as JSON. Throws `std::runtime_error` (quoting the body) when it is not JSON.
  boost::json::value json() const;
  /// A header's value by case-insensitive name; empty when absent.
  std::string header(std::string_view name) const;
};

class http_client {
 public:
  /// A client of the server on `host`:`port`. Does not connect yet.
  explicit http_client(uint16_t port, std::string host = "127.0.0.1");
  ~http_client();
  /// Movable, so a helper can return a client; the connection moves along.
  http_client(http_client&&) noexcept;
  http_client& operator=(http_client&&) noexcept;

  /// GET `target` (path and query) on the keep-alive connection.
  http_response get(std::string_view target, const header_list& headers = {});
  /// POSTs the serialised `body`.
  http_response post(std::string_view target, const boost::json::value& body,
                     const header_list& headers = {});
  /// POSTs `body` as-is with `Content-Type: application/json` (also for bodies that are not
  /// JSON). The `post` overloads for text do the same; `post_text` also takes a string_view.
  http_response post_text(std::string_view target, std::string_view body,
                          const header_list& headers = {});
  http_response post(std::string_view target, const std::string& body,
                     const header_list& headers = {}) {
    return post_text(target, body, headers);
  }
  http_response post(std::string_view target, const char* body, const header_list& headers = {}) {
    return post_text(target, body, headers);
  }
  /// Any method; `body` is sent with `Content-Type: application/json` unless empty.
  http_response request(std::string_view method, std::string_view target, std::string_view body,
                        const header_list& headers = {});

  /// Sends `bytes` unchanged on a fresh connection and reads one response from it.
  /// Returns status 0 when the server closes the connection without a response.
  http_response send_raw(std::string_view bytes);

  /// Headers sent with every request (a request's own headers override them).
  void default_headers(header_list headers) { default_headers_ = std::move(headers); }
  const header_list& default_headers() const { return default_headers_; }

  /// Connections opened so far (1 after any number of keep-alive requests on one connection).
  int connections_opened() const { return connections_opened_; }
  /// Closes the current connection, if any.
  void close();

 private:
  struct connection;
  void ensure_connected();

  std::string host_;
  uint16_t port_;
  std::unique_ptr<connection> conn_;
  int connections_opened_ = 0;
  header_list default_headers_;
};

}  // namespace tascade::test
