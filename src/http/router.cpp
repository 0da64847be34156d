#include "http/router.hpp"

namespace tascade::http {

std::string url_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9')
      return c - '0';
    if (c >= 'a' && c <= 'f')
      return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
      return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(char(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(plus_is_space && s[i] == '+' ? ' ' : s[i]);
  }
  return out;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string_view::npos)
      end = path.size();
    if (end > start)
      out.push_back(url_decode(path.substr(start, end - start), false));
    start = end + 1;
  }
  return out;
}

router::router(const std::vector<operation>& ops) {
  for (auto& op : ops)
    if (!op.mcp_only)
      routes_.push_back({&op, split_path(op.path)});
}

route_match router::match(std::string_view method, std::string_view path) const {
  auto segments = split_path(path);
  route_match best;
  int best_literals = -1;
  bool path_seen = false;
  for (auto& r : routes_) {
    if (r.segments.size() != segments.size())
      continue;
    int literals = 0;
    bool ok = true;
    for (size_t i = 0; i < segments.size() && ok; ++i) {
      const auto& pattern = r.segments[i];
      if (pattern.size() > 1 && pattern.front() == '{' && pattern.back() == '}')
        continue;
      ok = pattern == segments[i];
      literals += ok;
    }
    if (!ok)
      continue;
    path_seen = true;
    if (r.op->method != method || literals <= best_literals)
      continue;
    best_literals = literals;
    best.op = r.op;
    best.path_params.clear();
    for (size_t i = 0; i < segments.size(); ++i) {
      const auto& pattern = r.segments[i];
      if (pattern.size() > 1 && pattern.front() == '{' && pattern.back() == '}')
        best.path_params[pattern.substr(1, pattern.size() - 2)] = segments[i];
    }
  }
  best.method_mismatch = !best.op && path_seen;
  return best;
}

}  // namespace tascade::http
