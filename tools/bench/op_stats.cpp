#include "tools/bench/op_stats.hpp"

#include <cstdio>

namespace tascade::bench {

void op_stats::record(const std::string& op, uint64_t micros, int status,
                      const std::string& error_code) {
  auto& f = ops_[op];
  f.latency.record(micros);
  if (status >= 200 && status < 300)
    ++f.ok;
  else
    ++f.errors[std::to_string(status) + (error_code.empty() ? "" : " " + error_code)];
}

boost::json::object op_stats::to_json(double seconds) const {
  boost::json::object out;
  for (auto& [name, f] : ops_) {
    boost::json::object errors;
    for (auto& [code, n] : f.errors)
      errors[code] = n;
    auto n = f.latency.count();
    out[name] = boost::json::object{{"count", n},
                                    {"ok", f.ok},
                                    {"per_second", seconds > 0 ? double(n) / seconds : 0.0},
                                    {"p50_us", f.latency.percentile(0.50)},
                                    {"p90_us", f.latency.percentile(0.90)},
                                    {"p99_us", f.latency.percentile(0.99)},
                                    {"max_us", f.latency.max()},
                                    {"errors", errors}};
  }
  return out;
}

std::string op_stats::table(double seconds) const {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-16s %9s %10s %8s %8s %8s %9s  %s\n", "operation", "count",
                "per_s", "p50_us", "p90_us", "p99_us", "max_us", "errors");
  out += line;
  for (auto& [name, f] : ops_) {
    std::string errors;
    for (auto& [code, n] : f.errors)
      errors += (errors.empty() ? "" : ", ") + code + " x" + std::to_string(n);
    auto n = f.latency.count();
    std::snprintf(line, sizeof line, "%-16s %9llu %10.0f %8llu %8llu %8llu %9llu  %s\n",
                  name.c_str(), (unsigned long long)n, seconds > 0 ? double(n) / seconds : 0.0,
                  (unsigned long long)f.latency.percentile(0.50),
                  (unsigned long long)f.latency.percentile(0.90),
                  (unsigned long long)f.latency.percentile(0.99),
                  (unsigned long long)f.latency.max(), errors.c_str());
    out += line;
  }
  return out;
}

std::string error_code_of(const std::string& body) {
  boost::system::error_code ec;
  auto v = boost::json::parse(body, ec);
  if (ec || !v.is_object())
    return {};
  auto* e = v.get_object().if_contains("error");
  if (!e || !e->is_object())
    return {};
  auto* code = e->get_object().if_contains("code");
  return code && code->is_string() ? std::string(code->get_string()) : std::string{};
}

}  // namespace tascade::bench
