#include "planner/contract_input.hpp"
#include "planner/graphql_sdl.hpp"
#include "planner/plan_summary.hpp"
#include "planner/planner.hpp"
#include "planner/yaml_document.hpp"
#include "tascade/errc.hpp"
#include "tools/commands.hpp"
#include "tools/plan_apply.hpp"

#include <boost/json.hpp>

#include <sys/resource.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

namespace tascade::tools {

namespace {

constexpr const char* usage =
  "usage: tascade plan --prd PRD.md [--contract FILE] [--syntax json|yaml|graphql]\n"
  "                    [--search parity|ucb1] [--strict-ui] [--json] [--bench N]\n"
  "                    [--url http://HOST:PORT --apply PROJECT [--key KEY]]\n"
  "Plans a PRD against an API contract (OpenAPI 3.1/3.0/Swagger 2.0 in JSON or YAML, or GraphQL\n"
  "SDL; none: synthesized from the PRD) offline and prints the plan's summary: tasks, edges,\n"
  "coverage, the CCS distribution and the largest token budgets.\n"
  "--bench N plans N times and prints timings, parser throughput and peak memory as JSON.\n"
  "--url with --apply plans on that server and applies the plan to the project (a UUID) as one\n"
  "changeset; the key (planner role) comes from --key or TASCADE_API_KEY.\n";

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return false;
  std::ostringstream s;
  s << in.rdbuf();
  out = s.str();
  return true;
}

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

long peak_rss_kb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

}  // namespace

int plan_command(const std::vector<std::string>& args) {
  std::string prd_path, contract_path;
  planner::planner_settings settings;
  bool as_json = false;
  std::string forced_syntax;
  int bench = 0;
  std::string url, apply_to, key;
  if (auto* env = std::getenv("TASCADE_API_KEY"))
    key = env;
  for (size_t i = 0; i < args.size(); ++i) {
    auto next = [&](std::string& v) {
      if (i + 1 >= args.size())
        return false;
      v = args[++i];
      return true;
    };
    std::string v;
    if (args[i] == "--prd" && next(prd_path)) {
    } else if (args[i] == "--contract" && next(contract_path)) {
    } else if (args[i] == "--search" && next(v) && (v == "parity" || v == "ucb1")) {
      settings.mode = v == "ucb1" ? planner::search_mode::ucb1 : planner::search_mode::parity;
    } else if (args[i] == "--syntax" && next(v) && (v == "json" || v == "yaml" || v == "graphql")) {
      forced_syntax = v;
    } else if (args[i] == "--strict-ui") {
      settings.strict_ui_detection = true;
    } else if (args[i] == "--json") {
      as_json = true;
    } else if (args[i] == "--url" && next(url)) {
    } else if (args[i] == "--apply" && next(apply_to)) {
    } else if (args[i] == "--key" && next(key)) {
    } else if (args[i] == "--bench" && next(v)) {
      bench = std::max(1, std::atoi(v.c_str()));
    } else {
      std::cerr << usage;
      return args[i] == "--help" ? 0 : 2;
    }
  }
  if (prd_path.empty() || url.empty() != apply_to.empty()) {
    std::cerr << usage;
    return 2;
  }
  std::string prd, contract_text;
  if (!read_file(prd_path, prd)) {
    std::cerr << "tascade plan: cannot read the PRD " << prd_path << "\n";
    return 1;
  }
  if (!contract_path.empty() && !read_file(contract_path, contract_text)) {
    std::cerr << "tascade plan: cannot read the contract " << contract_path << "\n";
    return 1;
  }
  auto syntax = forced_syntax == "json"      ? planner::contract_syntax::json
                : forced_syntax == "yaml"    ? planner::contract_syntax::yaml
                : forced_syntax == "graphql" ? planner::contract_syntax::graphql
                                             : planner::detect_contract_syntax(contract_text,
                                                                               contract_path);
  if (!url.empty())
    return plan_and_apply({url, key, apply_to, prd, contract_text,
                           contract_path.empty() ? "" : std::string(planner::to_string(syntax)),
                           as_json});
  auto plan_once = [&]() -> caf::expected<planner::plan_result> {
    std::optional<planner::contract> given;
    if (!contract_path.empty()) {
      auto c = planner::load_contract_text(contract_text, syntax);
      if (!c)
        return std::move(c.error());
      given = std::move(*c);
    }
    return planner::make_plan(prd, std::move(given), settings);
  };

  auto start = std::chrono::steady_clock::now();
  auto r = plan_once();
  double first_ms = ms_since(start);
  if (!r) {
    std::cerr << "tascade plan: " << message_of(r.error()) << "\n";
    return 1;
  }
  auto summary = planner::plan_summary(*r);
  if (bench > 0) {
    double best = first_ms, total = first_ms;
    for (int i = 1; i < bench; ++i) {
      auto t = std::chrono::steady_clock::now();
      auto again = plan_once();
      double ms = ms_since(t);
      best = std::min(best, ms);
      total += ms;
      if (!again || again->content_hash != r->content_hash) {
        std::cerr << "tascade plan: a rerun gave a different plan\n";
        return 1;
      }
    }
    // The contract parser alone (JSON, YAML or SDL text into the document model), best of N.
    double parse_ms = 0;
    for (int run = 0; run < bench && !contract_path.empty(); ++run) {
      auto t = std::chrono::steady_clock::now();
      bool ok = true;
      if (syntax == planner::contract_syntax::graphql)
        ok = static_cast<bool>(planner::parse_graphql_sdl(contract_text));
      else if (syntax == planner::contract_syntax::yaml)
        ok = static_cast<bool>(planner::parse_yaml_document(contract_text));
      else
        ok = !boost::json::parse(contract_text).is_null();
      double ms = ms_since(t);
      parse_ms = run == 0 ? ms : std::min(parse_ms, ms);
      if (!ok)
        return 1;
    }
    double mb = static_cast<double>(contract_text.size()) / 1e6;
    boost::json::object figures{
      {"contract", contract_path},
      {"contractFormat", planner::to_string(syntax)},
      {"contractBytes", contract_text.size()},
      {"runs", bench},
      {"planMsFirst", first_ms},
      {"planMsBest", best},
      {"planMsMean", total / bench},
      {"parseMs", parse_ms},
      {"parseMBPerS", parse_ms > 0 ? mb / (parse_ms / 1000.0) : 0.0},
      {"peakRssMB", static_cast<double>(peak_rss_kb()) / 1024.0},
      {"tasks", summary.at("tasks")},
      {"edges", summary.at("edges")},
      {"contentHash", r->content_hash}};
    std::cout << boost::json::serialize(figures) << "\n";
    return 0;
  }
  if (as_json)
    std::cout << boost::json::serialize(summary) << "\n";
  else
    std::cout << planner::plan_summary_text(summary);
  return 0;
}

}  // namespace tascade::tools
