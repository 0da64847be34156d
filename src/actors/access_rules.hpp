#pragma once
/// The one authorisation check (spec §4.4): every operation declares the roles it needs, where
/// its project comes from, and which input fields name the caller; this rule reads those
/// declarations, so no operation can forget it.

#include "actors/denial_window.hpp"
#include "tascade/operation.hpp"

#include <caf/error.hpp>

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace tascade {

/// The wire names of roles, and back.
std::string_view to_string(role r);
std::optional<role> parse_role(std::string_view name);

/// Whether `who` may run `op` with `input` (validated). Returns a default (empty) error when
/// allowed; else PROJECT_SCOPE_VIOLATION or INSUFFICIENT_ROLE (403, spec order), or
/// IDENTITY_MISMATCH (403) when a non-admin key names someone else as the actor.
caf::error authorize(const principal& who, const operation& op, const boost::json::object& input);

/// The `auth_denied` record of a refusal by `authorize` (spec §4.4, §14): a scope violation
/// of a request naming a project, or a role refusal of a request naming one. Nothing for the
/// create-project wildcard rule, for refusals without a target project, or for other errors.
std::optional<denial> audited_denial(const principal& who, const operation& op,
                                     const boost::json::object& input, const caf::error& refusal);
/// Whether `who` may see a plan of the planner (issue 17): a global key any; a project key a
/// plan made for its project (`projectId`) or applied to it (`applied_project`, may be empty).
bool may_see_plan(const principal& who, std::string_view project_ref,
                  std::string_view applied_project);

}  // namespace tascade
