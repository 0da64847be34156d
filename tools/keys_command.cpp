#include "actors/keyring.hpp"
#include "tascade/errc.hpp"
#include "tools/commands.hpp"
#include "tascade/text_list.hpp"

#include <iostream>

namespace tascade::tools {

namespace {

constexpr const char* usage =
  "usage: tascade keys create --data DIR --project UUID|* --roles ROLE[,ROLE...] [--name NAME]\n"
  "                           [--created-by WHO]\n"
  "Issues an API key straight into the log (stop the server first) and prints it once.\n"
  "Roles: planner, agent, reviewer, operator, admin. --project * makes a global key.\n";

}  // namespace

int keys_command(const std::vector<std::string>& args) {
  if (args.empty() || args[0] != "create") {
    std::cerr << usage;
    return args.empty() || args[0] != "--help" ? 2 : 0;
  }
  std::string data, project, name = "cli", created_by = "tascade-cli";
  std::vector<std::string> roles;
  bool roles_given = false;
  for (size_t i = 1; i < args.size(); ++i) {
    const auto& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << usage;
      return 0;
    }
    if (i + 1 >= args.size()) {
      std::cerr << "tascade keys: " << a << " needs a value\n" << usage;
      return 2;
    }
    const auto& v = args[++i];
    if (a == "--data")
      data = v;
    else if (a == "--project")
      project = v;
    else if (a == "--roles")
      roles = split_list(v), roles_given = true;
    else if (a == "--name")
      name = v;
    else if (a == "--created-by")
      created_by = v;
    else {
      std::cerr << "tascade keys: unknown option '" << a << "'\n" << usage;
      return 2;
    }
  }
  if (data.empty() || project.empty() || !roles_given) {
    std::cerr << "tascade keys: --data, --project and --roles are required\n" << usage;
    return 2;
  }
  auto log = event_log::open(data);
  if (!log) {
    std::cerr << "tascade keys: cannot open " << data << " (is the server running?): "
              << message_of(log.error()) << "\n";
    return 1;
  }
  auto raw = issue_key_offline(**log, project, name, roles, created_by, system_now());
  if (!raw) {
    std::cerr << "tascade keys: " << message_of(raw.error()) << "\n";
    return 1;
  }
  std::cerr << "API key for " << (project == "*" ? std::string("every project") : project)
            << " (shown once, keep it):\n";
  std::cout << *raw << "\n";
  return 0;
}

}  // namespace tascade::tools
