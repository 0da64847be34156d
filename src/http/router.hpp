#pragma once
/// Matches a method and path to a catalogue operation. Literal segments win over `{param}`
/// segments, so `/v1/tasks/ready` is never taken for a task id.

#include "tascade/operation.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tascade::http {

struct route_match {
  const operation* op = nullptr;
  std::unordered_map<std::string, std::string> path_params;
  bool method_mismatch = false;  ///< the path exists, with another method (405)
};

class router {
 public:
  explicit router(const std::vector<operation>& ops);
  /// Finds the operation for `method` and `path` (no query string).
  route_match match(std::string_view method, std::string_view path) const;

 private:
  static constexpr size_t max_segments = 8;  ///< no route is longer; a longer path is 404
  struct route {
    const operation* op;
    std::vector<std::string> segments;  ///< "{name}" marks a parameter
    std::vector<bool> is_param;
    int literals = 0;
  };
  std::vector<route> by_length_[max_segments + 1];  ///< routes by their number of segments
};

/// Splits a path on '/', dropping empty segments, and percent-decodes each segment.
std::vector<std::string> split_path(std::string_view path);
/// Percent-decodes (and turns '+' into ' ' when `plus_is_space`).
std::string url_decode(std::string_view text, bool plus_is_space);

}  // namespace tascade::http
