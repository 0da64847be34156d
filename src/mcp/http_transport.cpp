#include "mcp/http_transport.hpp"

#include "catalogue/error_mapping.hpp"
#include "mcp/jsonrpc.hpp"
#include "tascade/ids.hpp"

#include <boost/json.hpp>

namespace tascade::mcp {

namespace json = boost::json;
namespace bhttp = boost::beast::http;
using raw_request = http_request;
using raw_response = http_response;

namespace {

std::string header(const raw_request& req, std::string_view name) {
  auto h = req.find(name);
  return h == req.end() ? std::string{} : std::string(h->value());
}

raw_response json_reply(const raw_request& req, int status, const json::value& body) {
  raw_response res{static_cast<bhttp::status>(status), req.version()};
  res.set(bhttp::field::server, "tascade");
  res.set(bhttp::field::content_type, "application/json");
  res.keep_alive(req.keep_alive());
  res.body() = json::serialize(body);
  res.prepare_payload();
  return res;
}

raw_response rpc_failure(const raw_request& req, int status, int code, std::string message) {
  return json_reply(req, status, rpc_error(nullptr, code, std::move(message)));
}

raw_response empty_reply(const raw_request& req, int status) {
  raw_response res{static_cast<bhttp::status>(status), req.version()};
  res.set(bhttp::field::server, "tascade");
  res.keep_alive(req.keep_alive());
  res.prepare_payload();
  return res;
}

// The client prefers SSE when it lists text/event-stream before application/json.
bool wants_sse(std::string_view accept) {
  auto sse = accept.find("text/event-stream");
  auto json = accept.find("application/json");
  return sse != std::string_view::npos && (json == std::string_view::npos || sse < json);
}

bool accepts_reply(std::string_view accept) {
  return accept.empty() || accept.find("application/json") != std::string_view::npos ||
         accept.find("text/event-stream") != std::string_view::npos ||
         accept.find("*/*") != std::string_view::npos;
}

}  // namespace

http_transport::http_transport(const dispatcher& mcp, authenticate_fn authenticate,
                               http_transport_options options)
    : mcp_(mcp), authenticate_(std::move(authenticate)), options_(std::move(options)) {}

size_t http_transport::sessions() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::shared_ptr<http_transport::session> http_transport::find(const std::string& id,
                                                              const std::string& key_id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  // Another key's session is as unknown as a missing one.
  if (it == sessions_.end() || it->second->key_id != key_id)
    return nullptr;
  it->second->used = std::chrono::steady_clock::now();
  return it->second;
}

std::string http_transport::open(std::shared_ptr<session> s) {
  auto now = std::chrono::steady_clock::now();
  auto id = uuid::random().str();
  std::lock_guard lock(mutex_);
  std::erase_if(sessions_, [&](auto& entry) { return now - entry.second->used > options_.session_idle; });
  if (sessions_.size() >= options_.max_sessions) {
    // Full: forget the least recently used session.
    auto oldest = sessions_.begin();
    for (auto it = sessions_.begin(); it != sessions_.end(); ++it)
      if (it->second->used < oldest->second->used)
        oldest = it;
    sessions_.erase(oldest);
  }
  s->used = now;
  sessions_[id] = std::move(s);
  return id;
}

void http_transport::close(const std::string& id, const std::string& key_id) {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(id);
  if (it != sessions_.end() && it->second->key_id == key_id)
    sessions_.erase(it);
}

void http_transport::handle(const raw_request& req, std::function<void(raw_response)> respond) {
  if (options_.origin_allowed && !options_.origin_allowed(header(req, "Origin")))
    return respond(rpc_failure(req, 403, transport_error, "Forbidden: Origin not allowed"));
  auto method = req.method();
  if (method != bhttp::verb::post && method != bhttp::verb::delete_) {
    // No server-initiated messages, so no GET stream (the SDK accepts 405 quietly).
    auto res = rpc_failure(req, 405, transport_error, "Method Not Allowed");
    res.set(bhttp::field::allow, "POST, DELETE");
    return respond(std::move(res));
  }

  principal who;
  if (authenticate_) {
    auto authenticated = authenticate_(req);
    if (!authenticated) {
      auto mapped = catalogue::map_error(authenticated.error());
      auto res = json_reply(req, mapped.status, mapped.body);
      if (mapped.status == 401)
        res.set(bhttp::field::www_authenticate, "Bearer");
      return respond(std::move(res));
    }
    who = std::move(*authenticated);
  }
  auto session_id = header(req, "Mcp-Session-Id");

  if (method == bhttp::verb::delete_) {
    if (session_id.empty())
      return respond(rpc_failure(req, 400, transport_error,
                                 "Bad Request: Mcp-Session-Id header is required"));
    if (!find(session_id, who.key_id))
      return respond(rpc_failure(req, 404, session_not_found, "Session not found"));
    close(session_id, who.key_id);
    return respond(empty_reply(req, 200));
  }

  auto content_type = header(req, "Content-Type");
  if (content_type.find("application/json") == std::string::npos)
    return respond(rpc_failure(req, 415, transport_error,
                               "Unsupported Media Type: Content-Type must be application/json"));
  auto accept = header(req, "Accept");
  if (!accepts_reply(accept))
    return respond(rpc_failure(req, 406, transport_error,
                               "Not Acceptable: Accept must list application/json and "
                               "text/event-stream"));
  boost::system::error_code ec;
  auto message = json::parse(req.body(), ec);
  if (ec)
    return respond(rpc_failure(req, 400, parse_error, "Parse error: " + ec.message()));
  auto in = classify(message);
  if (in.what == incoming::kind::invalid)
    return respond(json_reply(req, 400, rpc_error(in.id, invalid_request,
                                                        "Invalid Request: " + in.problem)));

  std::shared_ptr<session> current;
  std::string new_session;
  bool initializing = in.what == incoming::kind::request && in.method == "initialize";
  auto* meta = in.params.if_contains("_meta");
  bool stateless = meta && meta->is_object() && meta->get_object().contains(meta_version_key);
  if (initializing && session_id.empty()) {
    current = std::make_shared<session>();
    current->key_id = who.key_id;
  } else if (!session_id.empty()) {
    current = find(session_id, who.key_id);
    if (!current)
      return respond(rpc_failure(req, 404, session_not_found, "Session not found"));
  } else if (stateless) {
    current = std::make_shared<session>();  // 2026-07-28: every request stands alone
  } else {
    return respond(rpc_failure(req, 400, transport_error,
                               "Bad Request: Mcp-Session-Id header is required"));
  }
  auto version = header(req, "MCP-Protocol-Version");
  if (!version.empty() && !initializing && !handshake_supported(version) &&
      version != stateless_version)
    return respond(rpc_failure(req, 400, transport_error,
                               "Bad Request: Unsupported protocol version: " + version));

  bool sse = wants_sse(accept);
  auto keep = current;
  auto self = this;
  mcp_.handle(current->state, who, message,
              [req_version = req.version(), keep_alive = req.keep_alive(), sse, initializing,
               keep, self, respond](std::optional<json::object> reply) {
                raw_response res;
                res.version(req_version);
                res.keep_alive(keep_alive);
                res.set(bhttp::field::server, "tascade");
                if (!reply) {
                  res.result(bhttp::status::accepted);
                  res.prepare_payload();
                  return respond(std::move(res));
                }
                if (initializing && reply->contains("result"))
                  res.set("Mcp-Session-Id", self->open(keep));
                res.result(bhttp::status::ok);
                if (sse) {
                  res.set(bhttp::field::content_type, "text/event-stream");
                  res.set(bhttp::field::cache_control, "no-cache");
                  res.body() = "event: message\ndata: " + json::serialize(*reply) + "\n\n";
                } else {
                  res.set(bhttp::field::content_type, "application/json");
                  res.body() = json::serialize(*reply);
                }
                res.prepare_payload();
                respond(std::move(res));
              });
}

}  // namespace tascade::mcp
