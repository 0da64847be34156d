// tascade: the command-line companion of tascaded. A thin main over subcommands whose logic
// lives in the core library.

#include "tools/commands.hpp"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << "usage: tascade <command> ...\n\n"
                 "commands:\n"
                 "  replay verify  --data DIR   check sequences and the hash chain\n"
                 "  replay dump    --data DIR   print events as JSON lines (filters: --help)\n"
                 "  replay rebuild --data DIR   rebuild every projection, print the digest\n"
                 "  keys create    --data DIR --project UUID|* --roles R,...   issue an API key\n"
                 "  mcp --url ws://HOST:PORT/mcp   MCP over stdin/stdout, bridged to a server\n"
                 "                                 (API key from TASCADE_API_KEY)\n"
                 "  plan --prd PRD.md [--contract FILE]   plan offline, print the summary\n"
                 "  bench agents|log|replay|scale ...   load and performance figures\n"
                 "  crash-test [--cycles 100] [--writers 8]   SIGKILL a server under load, "
                 "check nothing acknowledged was lost\n";
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "keys")
    return tascade::tools::keys_command({args.begin() + 1, args.end()});
  if (args[0] == "mcp")
    return tascade::tools::mcp_command({args.begin() + 1, args.end()});
  if (args[0] == "plan")
    return tascade::tools::plan_command({args.begin() + 1, args.end()});
  if (args[0] == "bench")
    return tascade::tools::bench_command({args.begin() + 1, args.end()});
  if (args[0] == "crash-test")
    return tascade::tools::crash_test_command({args.begin() + 1, args.end()});
  if (args[0] == "replay")
    return tascade::tools::replay_command({args.begin() + 1, args.end()});
  std::cerr << "tascade: unknown command '" << args[0] << "' (see tascade --help)\n";
  return 2;
}
