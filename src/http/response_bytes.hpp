#pragma once
/// An HTTP/1.x response with a JSON body, written straight into one buffer. The catalogue's
/// answers go out this way: Beast's response object and serializer (a heap node per header
/// field, a buffer sequence walked per write) cost as much as the rest of a heartbeat.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tascade::http {

using header_pairs = std::vector<std::pair<std::string_view, std::string_view>>;

/// Status line, `Server`, `Content-Type: application/json`, `Content-Length`, the `Connection`
/// header `keep_alive` calls for under `version` (10 or 11, as Beast numbers them), `extra`,
/// then `body`. `content_type` replaces `application/json` (the Prometheus scrape's text).
std::string json_response_bytes(unsigned version, bool keep_alive, int status,
                                std::string_view body, const header_pairs& extra = {},
                                std::string_view content_type = "application/json");

}  // namespace tascade::http
