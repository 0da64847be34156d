#include "http/router.hpp"

#include <algorithm>

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
  for (auto& op : ops) {
    if (op.mcp_only)
      continue;
    route r{&op, split_path(op.path), {}, 0};
    for (auto& s : r.segments) {
      bool param = s.size() > 1 && s.front() == '{' && s.back() == '}';
      r.is_param.push_back(param);
      r.literals += !param;
    }
    if (r.segments.size() <= max_segments)
      by_length_[r.segments.size()].push_back(std::move(r));
  }
}

route_match router::match(std::string_view method, std::string_view path) const {
  // The path's segments as views into it; only a segment with a percent escape is decoded.
  std::string_view segments[max_segments];
  std::string decoded[max_segments];
  size_t count = 0;
  for (size_t start = 0; start <= path.size();) {
    auto end = std::min(path.find('/', start), path.size());
    if (end > start) {
      if (count == max_segments)
        return {};  // longer than any route
      auto part = path.substr(start, end - start);
      if (part.find('%') != std::string_view::npos) {
        decoded[count] = url_decode(part, false);
        part = decoded[count];
      }
      segments[count++] = part;
    }
    start = end + 1;
  }
  route_match best;
  const route* chosen = nullptr;
  bool path_seen = false;
  for (auto& r : by_length_[count]) {
    bool ok = true;
    for (size_t i = 0; i < count && ok; ++i)
      ok = r.is_param[i] || r.segments[i] == segments[i];
    if (!ok)
      continue;
    path_seen = true;
    if (r.op->method == method && (!chosen || r.literals > chosen->literals))
      chosen = &r;
  }
  if (chosen) {
    best.op = chosen->op;
    for (size_t i = 0; i < count; ++i)
      if (chosen->is_param[i]) {
        auto& name = chosen->segments[i];
        best.path_params.emplace(name.substr(1, name.size() - 2), segments[i]);
      }
  }
  best.method_mismatch = !best.op && path_seen;
  return best;
}

}  // namespace tascade::http
