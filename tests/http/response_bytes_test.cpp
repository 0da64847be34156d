#include "http/response_bytes.hpp"

#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include <string>

namespace tascade::http {
namespace {

namespace bhttp = boost::beast::http;

// Reads the bytes back with Beast's own parser, as a client would.
bhttp::response<bhttp::string_body> parse(const std::string& bytes) {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = 0;
  while (!ec && !parser.is_done() && used < bytes.size())
    used += parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
  EXPECT_FALSE(ec) << ec.message();
  EXPECT_EQ(used, bytes.size());
  EXPECT_TRUE(parser.is_done());
  return parser.release();
}

TEST(ResponseBytes, AClientReadsStatusHeadersAndBodyBack) {
  std::string body = R"({"ok":true,"n":[1,2,3]})";
  auto res = parse(json_response_bytes(11, true, 201, body, {{"Server-Timing", "app;dur=0.250"}}));
  EXPECT_EQ(res.result_int(), 201u);
  EXPECT_EQ(res.reason(), "Created");
  EXPECT_EQ(res[bhttp::field::server], "tascade");
  EXPECT_EQ(res[bhttp::field::content_type], "application/json");
  EXPECT_EQ(res[bhttp::field::content_length], std::to_string(body.size()));
  EXPECT_EQ(res["Server-Timing"], "app;dur=0.250");
  EXPECT_EQ(res.body(), body);
  EXPECT_TRUE(res.keep_alive());
}

TEST(ResponseBytes, ConnectionHeaderFollowsTheVersionsDefault) {
  EXPECT_TRUE(parse(json_response_bytes(11, true, 200, "{}")).keep_alive());
  EXPECT_FALSE(parse(json_response_bytes(11, false, 200, "{}")).keep_alive());
  EXPECT_TRUE(parse(json_response_bytes(10, true, 200, "{}")).keep_alive());
  EXPECT_FALSE(parse(json_response_bytes(10, false, 200, "{}")).keep_alive());
  EXPECT_EQ(parse(json_response_bytes(10, true, 200, "{}")).version(), 10u);
}

TEST(ResponseBytes, ErrorsCarryTheirReasonAndExtraHeaders) {
  auto res = parse(json_response_bytes(11, true, 401, R"({"error":{}})",
                                       {{"WWW-Authenticate", "Bearer"}, {"X-A", "b"}}));
  EXPECT_EQ(res.result_int(), 401u);
  EXPECT_EQ(res.reason(), "Unauthorized");
  EXPECT_EQ(res[bhttp::field::www_authenticate], "Bearer");
  EXPECT_EQ(res["X-A"], "b");
  EXPECT_EQ(parse(json_response_bytes(11, true, 422, "{}")).reason(), "Unprocessable Entity");
  EXPECT_EQ(parse(json_response_bytes(11, true, 200, "")).body(), "");
}

}  // namespace
}  // namespace tascade::http
