#pragma once
/// The subcommands of the `tascade` tool. Each returns the process exit code.

#include <string>
#include <vector>

namespace tascade::tools {

/// `tascade replay verify|dump|rebuild --data DIR [...]`.
int replay_command(const std::vector<std::string>& args);

/// `tascade keys create --data DIR --project UUID|* --roles ...`.
int keys_command(const std::vector<std::string>& args);

/// `tascade mcp --url ws://HOST:PORT/mcp`: MCP over stdio, bridged to a running server.
int mcp_command(const std::vector<std::string>& args);
/// `tascade plan --prd PRD.md --contract FILE`: plans offline and prints the summary.
int plan_command(const std::vector<std::string>& args);
/// `tascade bench agents|log|replay|scale ...` (tools/bench/).
int bench_command(const std::vector<std::string>& args);
/// `tascade crash-test [--cycles 100] [--writers 8] ...`: SIGKILL under load, then checks.
int crash_test_command(const std::vector<std::string>& args);

}  // namespace tascade::tools
