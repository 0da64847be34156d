#pragma once
/// Routes the operation catalogue does not describe: MCP over HTTP (one whole response per
/// request) and connections that leave the request/response loop for good (the event streams
/// and WebSocket upgrades). The server asks these hooks before routing a request.

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <boost/json/value.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace tascade::http {

using raw_request = boost::beast::http::request<boost::beast::http::string_body>;
using raw_response = boost::beast::http::response<boost::beast::http::string_body>;

struct extra_routes {
  /// Whether `path` is one of these routes: a cheap check made for every request first.
  std::function<bool(std::string_view path)> owns;
  /// Answers `req` through `respond` (callable once, from any thread). False: not its route.
  std::function<bool(const raw_request& req, std::function<void(raw_response)> respond)> answer;
  /// Takes the connection (moving the stream and any bytes already read). False: not its route.
  std::function<bool(raw_request& req, boost::beast::tcp_stream& stream,
                     boost::beast::flat_buffer& buffer)>
    take_over;
};

/// Helpers shared by the extra routes.
/// The value of query parameter `name` in `target` (decoded), or empty.
std::string query_value(std::string_view target, std::string_view name);
/// The path of `target` (without the query string).
std::string_view path_of(std::string_view target);
/// Whether `origin` may call us: absent, a loopback host (any port), or in `allowed` ("*" = any).
bool origin_allowed(std::string_view origin, const std::vector<std::string>& allowed);
/// The API key of a request: its Authorization header, else `?access_token=` (for browser
/// clients, which cannot set headers on EventSource or WebSocket), as an Authorization value.
std::string authorization_of(const raw_request& req);
/// A JSON response.
raw_response json_reply(const raw_request& req, int status, const boost::json::value& body);

}  // namespace tascade::http
