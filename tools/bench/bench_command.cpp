#include "tools/bench/bench_commands.hpp"
#include "tools/commands.hpp"

#include <exception>
#include <iostream>

namespace tascade::tools {

namespace {

constexpr const char* usage =
  "usage: tascade bench <agents|log|replay|scale|metrics|plans> [options]\n"
  "  agents --url http://HOST:PORT [--agents N] [--duration S] [--tasks T] [--mode M] ...\n"
  "  log    [--writers 1,8,64] [--duration S] [--baseline]\n"
  "  replay [--events N] [--no-server]\n"
  "  scale  [--tasks 1000,10000,100000] [--rounds R]\n"
  "  metrics [--tasks 100000] [--queries Q] [--rounds R]\n"
  "  plans  [--contract FILE] [--prd FILE] [--rounds R]  (plan and apply over HTTP)\n"
  "Each prints a table, then one JSON line of its figures. See BENCHMARKS.md.\n";

}  // namespace

int bench_command(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << usage;
    return args.empty() ? 2 : 0;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (args[0] == "agents")
      return bench::bench_agents(rest);
    if (args[0] == "log")
      return bench::bench_log(rest);
    if (args[0] == "replay")
      return bench::bench_replay(rest);
    if (args[0] == "scale")
      return bench::bench_scale(rest);
    if (args[0] == "metrics")
      return bench::bench_metrics(rest);
    if (args[0] == "plans")
      return bench::bench_plans(rest);
  } catch (const std::exception& e) {
    std::cerr << "tascade bench " << args[0] << ": " << e.what() << "\n";
    return 1;
  }
  std::cerr << "tascade bench: unknown bench '" << args[0] << "'\n" << usage;
  return 2;
}

}  // namespace tascade::tools
