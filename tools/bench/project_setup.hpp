#pragma once
/// Builds the project a load run works on, over the server's own REST API: a project, one
/// phase and milestone, `tasks` tasks, and a dependency graph where task i waits for up to
/// `deps` earlier tasks (unlock on implemented) within a window, so the ready set stays wide.

#include <cstdint>
#include <string>
#include <vector>

namespace tascade::bench {

struct generated_project {
  std::string project;
  std::vector<std::string> tasks;
  uint64_t edges = 0;
};

struct project_shape {
  int tasks = 2000;
  int deps = 1;        ///< dependencies per task, at most
  int window = 64;     ///< a dependency points at most this far back
  int parallel = 32;   ///< concurrent set-up requests
};

/// Throws std::runtime_error (quoting the answer) when the server refuses a step.
generated_project create_project_over_http(const std::string& host, uint16_t port,
                                           const project_shape& shape);

/// "http://HOST:PORT" → host and port; throws std::invalid_argument otherwise.
void parse_url(const std::string& url, std::string& host, uint16_t& port);

}  // namespace tascade::bench
