#include "http/static_files.hpp"

#include "http/router.hpp"

#include <array>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace tascade::http {

namespace bhttp = boost::beast::http;
namespace fs = std::filesystem;

namespace {

// Hashed names change with their content: a year, and no revalidation.
constexpr std::string_view immutable_cache = "public, max-age=31536000, immutable";
constexpr std::string_view revalidate = "no-cache";

struct type_entry {
  std::string_view extension;
  std::string_view type;
};

constexpr std::array<type_entry, 16> content_types{{
  {".html", "text/html; charset=utf-8"},
  {".js", "text/javascript; charset=utf-8"},
  {".mjs", "text/javascript; charset=utf-8"},
  {".css", "text/css; charset=utf-8"},
  {".json", "application/json"},
  {".map", "application/json"},
  {".svg", "image/svg+xml"},
  {".png", "image/png"},
  {".jpg", "image/jpeg"},
  {".jpeg", "image/jpeg"},
  {".gif", "image/gif"},
  {".webp", "image/webp"},
  {".ico", "image/x-icon"},
  {".woff2", "font/woff2"},
  {".woff", "font/woff"},
  {".txt", "text/plain; charset=utf-8"},
}};

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in)
    return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

raw_response text_reply(const raw_request& req, bhttp::status status, std::string_view text) {
  raw_response res{status, req.version()};
  res.set(bhttp::field::server, "tascade");
  res.set(bhttp::field::content_type, "text/plain; charset=utf-8");
  res.set(bhttp::field::cache_control, revalidate);
  res.keep_alive(req.keep_alive());
  res.body() = std::string(text);
  res.prepare_payload();
  return res;
}

raw_response file_reply(const raw_request& req, const fs::path& file, std::string body,
                        std::string_view cache) {
  raw_response res{bhttp::status::ok, req.version()};
  res.set(bhttp::field::server, "tascade");
  res.set(bhttp::field::content_type, content_type_for(file.filename().string()));
  res.set(bhttp::field::cache_control, cache);
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(req.keep_alive());
  auto size = body.size();
  if (req.method() != bhttp::verb::head)
    res.body() = std::move(body);
  res.content_length(size);
  return res;
}

}  // namespace

std::string_view content_type_for(std::string_view file_name) {
  auto dot = file_name.rfind('.');
  if (dot != std::string_view::npos) {
    auto ext = file_name.substr(dot);
    for (auto& entry : content_types)
      if (entry.extension == ext)
        return entry.type;
  }
  return "application/octet-stream";
}

static_files::static_files(fs::path root)
    : root_(std::move(root)), built_(!root_.empty() && is_file(root_ / "index.html")) {}

bool static_files::owns(std::string_view path) {
  if (path == "/v1" || path.starts_with("/v1/"))
    return false;
  return path != "/mcp" && path != "/health" && path != "/openapi.json";
}

std::optional<fs::path> static_files::resolve(const fs::path& root, std::string_view url_path) {
  fs::path out = root;
  size_t start = 0;
  while (start <= url_path.size()) {
    auto end = url_path.find('/', start);
    if (end == std::string_view::npos)
      end = url_path.size();
    auto raw = url_path.substr(start, end - start);
    start = end + 1;
    if (raw.empty())
      continue;  // "//" and the leading "/"
    auto segment = url_decode(raw, false);
    // Decoding may produce "..", a slash or a backslash: judge the decoded segment.
    if (segment.empty() || segment == "." || segment == ".." ||
        segment.find_first_of(std::string_view("/\\\0", 3)) != std::string::npos)
      return std::nullopt;
    out /= segment;
  }
  return out;
}

std::optional<raw_response> static_files::answer(const raw_request& req) const {
  if (req.method() != bhttp::verb::get && req.method() != bhttp::verb::head)
    return std::nullopt;
  auto path = path_of(req.target());
  if (!built_) {
    if (path != "/")
      return std::nullopt;
    return text_reply(req, bhttp::status::not_found,
                      "The Tascade dashboard is not built. Build it with `npm ci && npm run "
                      "build` in web/ (tools/run-server.sh does), or point --web-root at a "
                      "built copy. The API is at /v1 and /openapi.json.\n");
  }
  auto file = resolve(root_, path);
  if (!file)
    return text_reply(req, bhttp::status::bad_request, "bad path\n");
  bool asset = path.starts_with("/assets/");
  if (is_file(*file)) {
    if (auto body = read_file(*file))
      return file_reply(req, *file, std::move(*body), asset ? immutable_cache : revalidate);
  }
  if (asset)
    return text_reply(req, bhttp::status::not_found, "no such asset\n");
  // Any other path is one of the app's routes: the app reads it from the URL.
  auto index = root_ / "index.html";
  auto body = read_file(index);
  if (!body)
    return text_reply(req, bhttp::status::not_found, "index.html is missing\n");
  return file_reply(req, index, std::move(*body), revalidate);
}

extra_routes with_static_files(extra_routes inner, std::shared_ptr<const static_files> files,
                               const std::vector<operation>& ops) {
  extra_routes out;
  auto inner_owns = inner.owns;
  auto catalogue = std::make_shared<const router>(ops);
  out.owns = [inner_owns, catalogue](std::string_view path) {
    if (inner_owns && inner_owns(path))
      return true;
    if (!static_files::owns(path))
      return false;
    auto match = catalogue->match("GET", path);
    return !match.op && !match.method_mismatch;
  };
  out.take_over = [inner](raw_request& req, boost::beast::tcp_stream& stream,
                          boost::beast::flat_buffer& buffer) {
    return inner.owns && inner.owns(path_of(req.target())) && inner.take_over &&
           inner.take_over(req, stream, buffer);
  };
  out.answer = [inner, files](const raw_request& req,
                              std::function<void(raw_response)> respond) {
    if (inner.owns && inner.owns(path_of(req.target())))
      return inner.answer && inner.answer(req, std::move(respond));
    auto res = files->answer(req);
    if (!res)
      return false;
    respond(std::move(*res));
    return true;
  };
  return out;
}

fs::path default_web_root(const std::string& configured) {
  if (!configured.empty())
    return configured;
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec)
    return "web";
  return exe.parent_path() / "web";
}

}  // namespace tascade::http
