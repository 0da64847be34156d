#include "http/static_files.hpp"

#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

namespace tascade::http {
namespace {

namespace bhttp = boost::beast::http;

void write(const std::filesystem::path& p, const std::string& text) {
  std::filesystem::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

raw_request get(std::string target, bhttp::verb method = bhttp::verb::get) {
  raw_request req{method, target, 11};
  return req;
}

// A built dashboard in <tmp>/web, and a secret beside it that must never be served.
struct StaticFilesTest : ::testing::Test {
  test::temp_dir dir;
  std::filesystem::path root = dir.path() / "web";
  // Written before `files` is constructed: it looks for index.html once.
  bool seeded = [this] {
    write(root / "index.html", "<!doctype html><title>Tascade</title>");
    write(root / "assets" / "index-abc123.js", "console.log(1)");
    write(root / "assets" / "index-abc123.css", "body{}");
    write(root / "favicon.svg", "<svg/>");
    write(dir.path() / "secret.txt", "do not serve");
    return true;
  }();
  static_files files{root};

  raw_response answer(std::string target, bhttp::verb method = bhttp::verb::get) {
    auto res = files.answer(get(std::move(target), method));
    EXPECT_TRUE(res.has_value());
    return res ? std::move(*res) : raw_response{};
  }
};

TEST(StaticFilesTypes, ContentTypeFollowsTheExtension) {
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("index-abc.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("index-abc.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("favicon.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("shot.png"), "image/png");
  EXPECT_EQ(content_type_for("font.woff2"), "font/woff2");
  EXPECT_EQ(content_type_for("data.bin"), "application/octet-stream");
  EXPECT_EQ(content_type_for("README"), "application/octet-stream");
}

TEST(StaticFilesOwns, NeverTakesTheApi) {
  EXPECT_FALSE(static_files::owns("/v1"));
  EXPECT_FALSE(static_files::owns("/v1/tasks/nope"));
  EXPECT_FALSE(static_files::owns("/v1/no-such-resource"));
  EXPECT_FALSE(static_files::owns("/mcp"));
  EXPECT_FALSE(static_files::owns("/health"));
  EXPECT_FALSE(static_files::owns("/openapi.json"));
  EXPECT_TRUE(static_files::owns("/"));
  EXPECT_TRUE(static_files::owns("/projects/p1/tasks/t1"));
  EXPECT_TRUE(static_files::owns("/assets/index-abc123.js"));
}

TEST(StaticFilesResolve, RefusesEveryWayOutOfTheFolder) {
  std::filesystem::path root = "/srv/web";
  EXPECT_EQ(static_files::resolve(root, "/assets/a.js"), root / "assets" / "a.js");
  EXPECT_EQ(static_files::resolve(root, "//assets//a.js"), root / "assets" / "a.js");
  EXPECT_FALSE(static_files::resolve(root, "/../secret.txt"));
  EXPECT_FALSE(static_files::resolve(root, "/assets/../../secret.txt"));
  EXPECT_FALSE(static_files::resolve(root, "/%2e%2e/secret.txt"));
  EXPECT_FALSE(static_files::resolve(root, "/assets/%2E%2E%2Fsecret.txt"));
  EXPECT_FALSE(static_files::resolve(root, "/..%5csecret.txt"));
  EXPECT_FALSE(static_files::resolve(root, "/index.html%00.js"));
  EXPECT_FALSE(static_files::resolve(root, "/./index.html"));
}

TEST_F(StaticFilesTest, ServesIndexAtTheRootWithoutCaching) {
  ASSERT_TRUE(files.built());
  auto res = answer("/");
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_EQ(res[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(res[bhttp::field::cache_control], "no-cache");
  EXPECT_NE(res.body().find("<title>Tascade</title>"), std::string::npos);
}

TEST_F(StaticFilesTest, AppRoutesFallBackToIndex) {
  for (auto target : {"/projects", "/projects/p1/tasks/P1.M1.T2?state=ready", "/no/such/page"}) {
    auto res = answer(target);
    EXPECT_EQ(res.result(), bhttp::status::ok) << target;
    EXPECT_NE(res.body().find("<title>Tascade</title>"), std::string::npos) << target;
  }
}

TEST_F(StaticFilesTest, AssetsAreImmutableWithTheirContentType) {
  auto js = answer("/assets/index-abc123.js");
  EXPECT_EQ(js.result(), bhttp::status::ok);
  EXPECT_EQ(js.body(), "console.log(1)");
  EXPECT_EQ(js[bhttp::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(js[bhttp::field::cache_control], "public, max-age=31536000, immutable");
  auto css = answer("/assets/index-abc123.css");
  EXPECT_EQ(css[bhttp::field::content_type], "text/css; charset=utf-8");
  auto icon = answer("/favicon.svg");
  EXPECT_EQ(icon[bhttp::field::content_type], "image/svg+xml");
  EXPECT_EQ(icon[bhttp::field::cache_control], "no-cache");
}

TEST_F(StaticFilesTest, AMissingAssetIs404NotTheApp) {
  auto res = answer("/assets/index-gone.js");
  EXPECT_EQ(res.result(), bhttp::status::not_found);
  EXPECT_EQ(res.body().find("<title>"), std::string::npos);
}

TEST_F(StaticFilesTest, TraversalIsRefused) {
  for (auto target : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                      "/assets/%2e%2e%2f%2e%2e%2fsecret.txt"}) {
    auto res = answer(target);
    EXPECT_EQ(res.result(), bhttp::status::bad_request) << target;
    EXPECT_EQ(res.body().find("do not serve"), std::string::npos) << target;
  }
}

TEST_F(StaticFilesTest, HeadHasTheLengthButNoBody) {
  auto res = answer("/assets/index-abc123.js", bhttp::verb::head);
  EXPECT_EQ(res.result(), bhttp::status::ok);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(res[bhttp::field::content_length], "14");
}

TEST_F(StaticFilesTest, OtherMethodsAreLeftToTheRouter) {
  EXPECT_FALSE(files.answer(get("/", bhttp::verb::post)).has_value());
  EXPECT_FALSE(files.answer(get("/assets/index-abc123.js", bhttp::verb::delete_)).has_value());
}

TEST(StaticFilesNotBuilt, TheRootSaysSoAndEverythingElseIsLeftAlone) {
  test::temp_dir dir;
  static_files files{dir.path() / "missing"};
  EXPECT_FALSE(files.built());
  auto root = files.answer(get("/"));
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->result(), bhttp::status::not_found);
  EXPECT_NE(root->body().find("not built"), std::string::npos);
  EXPECT_FALSE(files.answer(get("/projects")).has_value());
  EXPECT_FALSE(files.answer(get("/assets/a.js")).has_value());
}

TEST_F(StaticFilesTest, CombinedRoutesLeaveApiMissesToTheRouter) {
  extra_routes inner;
  inner.owns = [](std::string_view path) { return path == "/v1/events"; };
  bool inner_answered = false;
  inner.answer = [&](const raw_request&, std::function<void(raw_response)>) {
    inner_answered = true;
    return true;
  };
  auto routes = with_static_files(inner, std::make_shared<const static_files>(root));
  EXPECT_TRUE(routes.owns("/v1/events"));
  EXPECT_FALSE(routes.owns("/v1/no-such-resource"));
  EXPECT_TRUE(routes.owns("/projects"));

  raw_response sent;
  bool responded = false;
  auto respond = [&](raw_response r) {
    sent = std::move(r);
    responded = true;
  };
  EXPECT_TRUE(routes.answer(get("/v1/events"), respond));
  EXPECT_TRUE(inner_answered);
  EXPECT_FALSE(responded);
  EXPECT_TRUE(routes.answer(get("/projects/p1/graph"), respond));
  ASSERT_TRUE(responded);
  EXPECT_EQ(sent[bhttp::field::content_type], "text/html; charset=utf-8");
  EXPECT_FALSE(routes.answer(get("/projects", bhttp::verb::post), respond));
}

TEST_F(StaticFilesTest, CatalogueRoutesOutsideV1StayTheRouters) {
  operation scrape;
  scrape.name = "scrape_metrics";
  scrape.method = "GET";
  scrape.path = "/metrics";
  std::vector<operation> ops{scrape};
  auto routes = with_static_files({}, std::make_shared<const static_files>(root), ops);
  EXPECT_FALSE(routes.owns("/metrics"));
  EXPECT_TRUE(routes.owns("/projects/p1/metrics"));
}

}  // namespace
}  // namespace tascade::http
