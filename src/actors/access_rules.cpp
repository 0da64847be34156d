#include "actors/access_rules.hpp"

#include "actors/python_literal.hpp"
#include "tascade/errc.hpp"

#include <array>

namespace tascade {

namespace {

constexpr std::array<std::string_view, 5> names{"planner", "agent", "reviewer", "operator",
                                                 "admin"};

caf::error scope_violation() {
  return make_error(errc::project_scope_violation, "API key is not authorized for this project");
}

// A global operation refused to a key bound to one project.
caf::error wildcard_required(const operation& op) {
  if (op.name == "create_project")
    return make_error(errc::project_scope_violation,
                      "Project-scoped keys cannot create new projects; use a wildcard or admin key");
  return make_error(errc::project_scope_violation,
                    "Project-scoped keys cannot use " + op.name + "; use a wildcard or admin key");
}

caf::error check_roles(const principal& who, const operation& op) {
  const auto& accepted = *op.roles;
  if (accepted.empty() || who.has(role::admin))
    return {};
  for (auto r : accepted)
    if (who.has(r))
      return {};
  // Admin passes every role check, so the reference lists it among the accepted roles.
  std::vector<std::string> listed{"admin"};
  for (auto r : accepted)
    listed.emplace_back(to_string(r));
  return make_error(errc::insufficient_role, "Requires one of: " + python_sorted_list(listed));
}

}  // namespace

std::string_view to_string(role r) { return names[size_t(r)]; }

std::optional<role> parse_role(std::string_view name) {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name)
      return role(i);
  return std::nullopt;
}

caf::error authorize(const principal& who, const operation& op, const boost::json::object& input) {
  if (op.public_route)
    return {};
  if (!op.roles)
    return make_error(errc::invariant_violation, "operation " + op.name + " declares no role");
  switch (op.scope) {
    case scope_kind::global:
      // The reference checks the role first here, then the wildcard project.
      if (auto e = check_roles(who, op))
        return e;
      if (!who.global())
        return wildcard_required(op);
      break;
    case scope_kind::filtered:
      if (auto e = check_roles(who, op))
        return e;
      break;
    case scope_kind::automatic: {
      auto* target = input.if_contains("project_id");
      if (target && target->is_string() && !who.global() && target->get_string() != who.project)
        return scope_violation();
      if (auto e = check_roles(who, op))
        return e;
      break;
    }
  }
  if (!who.has(role::admin))
    for (auto& field : op.identity_fields)
      if (auto* v = input.if_contains(field); v && v->is_string() && v->get_string() != who.name)
        return make_error(errc::identity_mismatch,
                          field + " must be this API key's name ('" + who.name + "')");
  return {};
}

bool may_see_plan(const principal& who, std::string_view project_ref,
                  std::string_view applied_project) {
  return who.global() || project_ref == who.project || applied_project == who.project;
}

std::optional<denial> audited_denial(const principal& who, const operation& op,
                                     const boost::json::object& input, const caf::error& refusal) {
  bool scope = refusal == errc::project_scope_violation;
  if ((!scope && refusal != errc::insufficient_role) || op.scope == scope_kind::global)
    return std::nullopt;
  auto* target = input.if_contains("project_id");
  if (!target || !target->is_string() || target->get_string().empty())
    return std::nullopt;
  denial d;
  d.key_id = who.key_id;
  d.key_name = who.name;
  d.key_project = who.project;
  d.reason = scope ? "project_scope_violation" : "insufficient_role";
  d.endpoint = op.name;
  for (auto r : who.roles)
    d.caller_roles.emplace_back(to_string(r));
  d.required_roles.emplace_back("admin");
  if (op.roles)
    for (auto r : *op.roles)
      d.required_roles.emplace_back(to_string(r));
  d.project = std::string(target->get_string());
  if (auto* task = input.if_contains("task_id"); task && task->is_string())
    d.task = task_id::parse(task->get_string());
  return d;
}

}  // namespace tascade
