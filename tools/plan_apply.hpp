#pragma once
/// `tascade plan --url URL --apply PROJECT` (issue 17): plans on a running server (POST /plans)
/// and applies the plan to a project (POST /plans/{id}/apply), with progress on a terminal.

#include <string>

namespace tascade::tools {

struct plan_apply_request {
  std::string url;      ///< http://host:port
  std::string key;      ///< API key (planner role); empty in development mode
  std::string project;  ///< the project's UUID
  std::string prd;
  std::string contract_text;  ///< empty: synthesized from the PRD on the server
  std::string syntax;         ///< json, yaml or graphql
  bool as_json = false;
};

/// Returns the exit code: 0 applied, 1 refused (the server's error printed), 2 bad URL.
int plan_and_apply(const plan_apply_request& r);

}  // namespace tascade::tools
