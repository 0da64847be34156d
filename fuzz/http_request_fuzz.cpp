// A raw HTTP request through what the server does with it before any actor: Beast's request
// parser (with the server's limits), the refusals of unparsable requests, the WebSocket
// upgrade checks, the router, the input assembly (body, query, path) and the catalogue's
// validation and authorization (fuzz/stub_catalogue.hpp).

#include "fuzz/stub_catalogue.hpp"
#include "http/request_errors.hpp"
#include "http/request_input.hpp"
#include "http/router.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <cstdint>
#include <string_view>

namespace bhttp = boost::beast::http;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tascade;
  static const http::router routes{fuzz::stub_catalogue()};
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(1 << 20);  // the server's default
  parser.eager(true);
  // The whole input is what the client sent before closing: feed it, then the end of stream.
  boost::beast::error_code ec;
  auto rest = bytes;
  while (!parser.is_done()) {
    auto used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    rest.remove_prefix(used);
    if (ec == bhttp::error::need_more && used > 0 && !rest.empty()) {
      ec = {};
      continue;
    }
    if (ec == bhttp::error::need_more || (!ec && used == 0)) {
      ec = {};
      // As Beast's read does at the end of the stream.
      if (parser.got_some())
        parser.put_eof(ec);
      else
        ec = bhttp::error::end_of_stream;
    }
    break;
  }
  if (ec || !parser.is_done()) {
    (void)http::refusal_for(ec, bytes);
    return 0;
  }
  auto& req = parser.get();
  if (http::refusal_for(req))
    return 0;
  (void)http::upgrade_refusal(req);

  std::string_view target = req.target();
  auto match = routes.match(req.method_string(), target.substr(0, target.find('?')));
  if (!match.op)
    return 0;
  auto assembled = http::assemble_input(match, target, req.body());
  if (assembled.refusal)
    return 0;
  fuzz::invoke_inline(*match.op, fuzz::fuzz_principal(req.count(bhttp::field::authorization) > 0),
                      std::move(assembled.input), std::move(assembled.problems));
  return 0;
}
