#pragma once
/// The `tascade bench` subcommands. Each takes its arguments after the subcommand's name,
/// prints a table and then one JSON line of its figures, and returns the exit code.

#include <string>
#include <vector>

namespace tascade::bench {

int bench_agents(const std::vector<std::string>& args);
int bench_log(const std::vector<std::string>& args);
int bench_replay(const std::vector<std::string>& args);
int bench_scale(const std::vector<std::string>& args);
int bench_metrics(const std::vector<std::string>& args);
int bench_plans(const std::vector<std::string>& args);

}  // namespace tascade::bench
