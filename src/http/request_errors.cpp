#include "http/request_errors.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace tascade::http {

namespace bhttp = boost::beast::http;
namespace json = boost::json;

request_refusal make_refusal(int status, std::string_view code, std::string_view message,
                             std::string_view reason) {
  json::object error{{"code", code},
                     {"message", message},
                     {"retryable", false},
                     {"details", json::object{{"reason", reason}}}};
  return {status, json::serialize(json::object{{"error", std::move(error)}})};
}

namespace {

request_refusal bad_request(std::string_view message, std::string_view reason) {
  return make_refusal(400, "BAD_REQUEST", message, reason);
}

// Whether `text` starts like a request line: a method token, then a space.
bool starts_request_line(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && std::isupper(static_cast<unsigned char>(text[i])))
    ++i;
  return i > 0 && i < text.size() && text[i] == ' ';
}

// Whether the header part of `text` has a line feed without its carriage return.
bool has_bare_lf(std::string_view text) {
  auto end = text.find("\r\n\r\n");
  for (size_t i = 0; i < std::min(end, text.size()); ++i)
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
      return true;
  return false;
}

// Whether the request line in `text` ends in a well-formed "HTTP/d.d" (then a version the
// parser refused is one this server does not speak, not a malformed one).
bool well_formed_version(std::string_view text) {
  auto eol = text.find("\r\n");
  if (eol == std::string_view::npos || eol < 8 || !starts_request_line(text))
    return false;
  auto v = text.substr(eol - 8, 8);
  return v.substr(0, 5) == "HTTP/" && std::isdigit(static_cast<unsigned char>(v[5])) &&
         v[6] == '.' && std::isdigit(static_cast<unsigned char>(v[7]));
}

}  // namespace

std::optional<request_refusal> refusal_for(boost::beast::error_code ec, std::string_view pending) {
  using e = bhttp::error;
  // Nobody to answer: the peer left, went quiet, or stopped midway (socket errors, timeouts).
  if (ec.category() != bhttp::make_error_code(e::bad_method).category() ||
      ec == e::end_of_stream || ec == e::partial_message || ec == e::need_more ||
      ec == e::need_buffer || ec == e::body_limit || ec == e::buffer_overflow)
    return std::nullopt;
  if (ec == e::header_limit) {
    // The limit counts the request line too. The parser drops what it has parsed from the
    // buffer: if what is left still starts the request line, the URL is what is too long.
    if (starts_request_line(pending) && pending.find('\n') == std::string_view::npos)
      return make_refusal(414, "URI_TOO_LONG", "The request target is too long", "uri_too_long");
    return make_refusal(431, "REQUEST_HEADER_FIELDS_TOO_LARGE",
                        "The request's header fields are too large",
                        "header_fields_too_large");
  }
  if (ec == e::bad_version && well_formed_version(pending))
    return make_refusal(505, "HTTP_VERSION_NOT_SUPPORTED",
                        "Only HTTP/1.0 and HTTP/1.1 are supported", "http_version");
  // A bare LF trips the parser wherever it comes first; name the real fault.
  if (ec != e::bad_chunk && ec != e::bad_chunk_extension && has_bare_lf(pending))
    return bad_request("Malformed request: lines must end with CRLF", "bad_line_ending");
  if (ec == e::bad_method)
    return bad_request("Malformed request line: bad method", "bad_method");
  if (ec == e::bad_target)
    return bad_request("Malformed request line: bad request target", "bad_target");
  if (ec == e::bad_version) {
    // "HTTP/2" or "HTTP/10.0" parse as no version at all; a well-formed but unknown one is 505
    // (refusal_for(req)).
    return bad_request("Malformed request line: bad HTTP version", "bad_version");
  }
  if (ec == e::bad_line_ending)
    return bad_request("Malformed request: lines must end with CRLF", "bad_line_ending");
  if (ec == e::bad_field)
    return bad_request("Malformed header field (a name with a colon is required)", "bad_field");
  if (ec == e::bad_value)
    return bad_request("Malformed header field value (control characters are not allowed)",
                       "bad_value");
  if (ec == e::bad_content_length)
    return bad_request("Content-Length must be one non-negative decimal number",
                       "bad_content_length");
  if (ec == e::multiple_content_length)
    return bad_request("Conflicting Content-Length header fields", "multiple_content_length");
  if (ec == e::bad_transfer_encoding)
    return bad_request(
      "Transfer-Encoding must end in chunked and may not come with Content-Length",
      "bad_transfer_encoding");
  if (ec == e::bad_chunk)
    return bad_request("Malformed chunk size or framing", "bad_chunk");
  if (ec == e::bad_chunk_extension)
    return bad_request("Malformed chunk extension", "bad_chunk_extension");
  if (ec == e::bad_obs_fold)
    return bad_request("Obsolete line folding is not accepted", "bad_obs_fold");
  // Whatever else the parser refuses is still a malformed request.
  return bad_request("Malformed request", "malformed");
}

std::optional<request_refusal> upgrade_refusal(const bhttp::request<bhttp::string_body>& req) {
  if (req.method() != bhttp::verb::get)
    return bad_request("A WebSocket upgrade must be a GET request", "websocket_method");
  if (req.version() != 11)
    return bad_request("A WebSocket upgrade needs HTTP/1.1", "websocket_http_version");
  auto key = req.find(bhttp::field::sec_websocket_key);
  if (key == req.end() || key->value().empty())
    return bad_request("Missing Sec-WebSocket-Key header", "websocket_key_missing");
  // 16 random bytes in base64: 22 characters and "==".
  auto k = key->value();
  bool base64 = k.size() == 24 && k.substr(22) == "==";
  for (size_t i = 0; base64 && i < 22; ++i)
    base64 = std::isalnum(static_cast<unsigned char>(k[i])) || k[i] == '+' || k[i] == '/';
  if (!base64)
    return bad_request("Sec-WebSocket-Key must be 16 bytes in base64", "websocket_key_invalid");
  auto version = req.find(bhttp::field::sec_websocket_version);
  if (version == req.end() || version->value().empty())
    return bad_request("Missing Sec-WebSocket-Version header", "websocket_version_missing");
  if (version->value() != "13")
    return make_refusal(426, "UPGRADE_REQUIRED", "Only WebSocket version 13 is supported",
                        "websocket_version");
  return std::nullopt;
}

std::optional<request_refusal> refusal_for(
  const bhttp::request<bhttp::string_body>& req) {
  if (req.version() != 10 && req.version() != 11)
    return make_refusal(505, "HTTP_VERSION_NOT_SUPPORTED",
                        "Only HTTP/1.0 and HTTP/1.1 are supported", "http_version");
  size_t fields = 0;
  for (auto it = req.begin(); it != req.end(); ++it)
    if (++fields > max_header_fields)
      return make_refusal(431, "REQUEST_HEADER_FIELDS_TOO_LARGE",
                          "Too many header fields (at most " +
                            std::to_string(max_header_fields) + ")",
                          "too_many_header_fields");
  return std::nullopt;
}

}  // namespace tascade::http
