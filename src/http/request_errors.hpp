#pragma once
/// Answers to requests that cannot be parsed (RFC 9112: answer, then close), in the JSON error
/// envelope: 400 for a malformed request line, header or framing, 414 for a request line over
/// the header limit, 431 for too many or too large header fields, 505 for an HTTP version other
/// than 1.0 and 1.1. I/O thread only; no state.

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace tascade::http {

/// A refusal of an unparsable request: the status and the whole JSON envelope.
struct request_refusal {
  int status = 400;
  std::string body;
};

/// Header fields a request may carry; more is 431.
inline constexpr size_t max_header_fields = 100;

/// The answer to a read that failed with `ec`, given the bytes still buffered (`pending`, the
/// start of the request). Nothing when there is nobody to answer (end of stream, timeout, a
/// connection reset, a request cut off midway).
std::optional<request_refusal> refusal_for(boost::beast::error_code ec, std::string_view pending);

/// The answer to a request that parsed but that this server does not take: an HTTP version
/// other than 1.0/1.1 (505), or more than `max_header_fields` fields (431).
std::optional<request_refusal> refusal_for(
  const boost::beast::http::request<boost::beast::http::string_body>& req);

/// The answer to a WebSocket upgrade request that cannot be accepted (RFC 6455 §4.2.1): 400
/// for a method other than GET, a version other than HTTP/1.1, a missing or malformed
/// Sec-WebSocket-Key or a missing Sec-WebSocket-Version; 426 (with `Sec-WebSocket-Version: 13`,
/// added by the caller) for another WebSocket version.
std::optional<request_refusal> upgrade_refusal(
  const boost::beast::http::request<boost::beast::http::string_body>& req);

/// The envelope `{"error": {code, message, retryable: false, details: {reason}}}`.
request_refusal make_refusal(int status, std::string_view code, std::string_view message,
                             std::string_view reason);

}  // namespace tascade::http
