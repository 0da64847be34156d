#include "actors/access_rules.hpp"

#include "tascade/errc.hpp"

#include <algorithm>
#include <array>

namespace tascade {

namespace {

constexpr std::array<std::string_view, 5> names{"planner", "agent", "reviewer", "operator",
                                                 "admin"};

caf::error scope_violation() {
  return make_error(errc::project_scope_violation,
                    "This API key is not allowed to access the requested project");
}

caf::error check_roles(const principal& who, const operation& op) {
  const auto& accepted = *op.roles;
  if (accepted.empty() || who.has(role::admin))
    return {};
  for (auto r : accepted)
    if (who.has(r))
      return {};
  std::vector<std::string> listed;
  for (auto r : accepted)
    listed.emplace_back(to_string(r));
  listed.emplace_back("admin");
  std::sort(listed.begin(), listed.end());
  std::string text;
  for (auto& r : listed)
    text += (text.empty() ? "" : ", ") + r;
  return make_error(errc::insufficient_role, "Requires one of the roles: " + text);
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
        return scope_violation();
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

}  // namespace tascade
