#pragma once
/// The web dashboard's files: a folder built by `npm run build` in web/ (index.html, hashed
/// `/assets/*`, icons). GET and HEAD only. `/assets/*` answer the file or 404, cached for a
/// year (the names change with the content); any other path outside the API answers the file
/// it names inside the folder, else `index.html` (the app's own routes), never cached. A path
/// that would leave the folder is refused with 400. API paths (`/v1`, `/mcp`, `/health`,
/// `/openapi.json`) are never taken, so a miss there keeps the JSON error answer.
///
/// Files are read from disk on each request (a development copy given with `--web-root` is
/// picked up as it is rebuilt); the folder is small and the reads are on the I/O thread.

#include "http/extra_routes.hpp"
#include "tascade/operation.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tascade::http {

class static_files {
 public:
  /// `root` is the dashboard folder; when it holds no `index.html` the dashboard is "not built".
  explicit static_files(std::filesystem::path root);

  /// Whether `root` holds a built dashboard.
  bool built() const { return built_; }
  const std::filesystem::path& root() const { return root_; }

  /// Whether `path` (no query string) may be a dashboard path: anything outside the API.
  static bool owns(std::string_view path);

  /// The answer to `req` (GET or HEAD of an owned path); nullopt for other methods, and for
  /// every path but `/` while the dashboard is not built, so the router answers as before.
  std::optional<raw_response> answer(const raw_request& req) const;

  /// The file `url_path` names inside `root`, or nullopt when a segment is `..`, `.`, empty
  /// after decoding, or holds a `\` or NUL (the path would not stay inside the folder).
  static std::optional<std::filesystem::path> resolve(const std::filesystem::path& root,
                                                      std::string_view url_path);

 private:
  std::filesystem::path root_;
  bool built_ = false;
};

/// The Content-Type for a file name, by its extension (application/octet-stream if unknown).
std::string_view content_type_for(std::string_view file_name);

/// `inner` (MCP, the event streams) first; then the dashboard's files for the other paths,
/// except any path an operation of `ops` serves (e.g. a `/metrics` scrape route), which stays
/// the router's. `ops` must outlive the returned hooks.
extra_routes with_static_files(extra_routes inner, std::shared_ptr<const static_files> files,
                               const std::vector<operation>& ops = {});

/// The dashboard folder to serve: `configured` when set, else `web/` beside the running
/// executable (where the CMake build puts the bundle).
std::filesystem::path default_web_root(const std::string& configured);

}  // namespace tascade::http
