#include "http/response_bytes.hpp"

#include <boost/beast/http.hpp>

namespace tascade::http {

std::string json_response_bytes(unsigned version, bool keep_alive, int status,
                                std::string_view body, const header_pairs& extra,
                                std::string_view content_type) {
  namespace bhttp = boost::beast::http;
  auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  std::string out;
  out.reserve(160 + body.size());
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out.append(reason.data(), reason.size());
  out += "\r\nServer: tascade\r\nContent-Type: ";
  out.append(content_type);
  out += "\r\nContent-Length: ";
  out += std::to_string(body.size());
  out += "\r\n";
  // HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep.
  if (version == 10 && keep_alive)
    out += "Connection: keep-alive\r\n";
  else if (version != 10 && !keep_alive)
    out += "Connection: close\r\n";
  for (auto& [name, value] : extra) {
    out.append(name);
    out += ": ";
    out.append(value);
    out += "\r\n";
  }
  out += "\r\n";
  out.append(body);
  return out;
}

}  // namespace tascade::http
