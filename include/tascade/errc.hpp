#pragma once
/// The error codes of Tascade, carried as `caf::error` in the category "tascade".
///
/// Each code has one wire string (the spec's error code); its HTTP status lives in
/// `src/http/error_mapping.cpp`. `caf::error e = errc::x;` works through the ADL `make_error`.

#include <caf/atom.hpp>
#include <caf/error.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace tascade {

// X(enumerator, wire code). Append only: the numeric value travels inside caf::error.
#define TASCADE_ERRC_LIST(X)                                           \
  X(validation_failed, "VALIDATION_ERROR")                             \
  X(auth_missing, "AUTH_MISSING")                                      \
  X(auth_invalid, "AUTH_INVALID")                                      \
  X(project_scope_violation, "PROJECT_SCOPE_VIOLATION")                \
  X(insufficient_role, "INSUFFICIENT_ROLE")                            \
  X(invalid_roles, "INVALID_ROLES")                                    \
  X(bad_request, "BAD_REQUEST")                                        \
  X(project_not_found, "PROJECT_NOT_FOUND")                            \
  X(task_not_found, "TASK_NOT_FOUND")                                  \
  X(milestone_not_found, "MILESTONE_NOT_FOUND")                        \
  X(phase_not_found, "PHASE_NOT_FOUND")                                \
  X(gate_rule_not_found, "GATE_RULE_NOT_FOUND")                        \
  X(integration_attempt_not_found, "INTEGRATION_ATTEMPT_NOT_FOUND")    \
  X(changeset_not_found, "CHANGESET_NOT_FOUND")                        \
  X(api_key_not_found, "API_KEY_NOT_FOUND")                            \
  X(alert_not_found, "ALERT_NOT_FOUND")                                \
  X(project_mismatch, "PROJECT_MISMATCH")                              \
  X(cycle_detected, "CYCLE_DETECTED")                                  \
  X(dependency_exists, "DEPENDENCY_EXISTS")                            \
  X(task_ref_ambiguous, "TASK_REF_AMBIGUOUS")                          \
  X(invalid_state, "INVALID_STATE")                                    \
  X(invalid_gate_type, "INVALID_GATE_TYPE")                            \
  X(identifier_parent_required, "IDENTIFIER_PARENT_REQUIRED")          \
  X(phase_milestone_mismatch, "PHASE_MILESTONE_MISMATCH")              \
  X(sequence_conflict, "SEQUENCE_CONFLICT")                            \
  X(gate_scope_required, "GATE_SCOPE_REQUIRED")                        \
  X(task_not_claimable, "TASK_NOT_CLAIMABLE")                          \
  X(lease_exists, "LEASE_EXISTS")                                      \
  X(reservation_conflict, "RESERVATION_CONFLICT")                      \
  X(reservation_exists, "RESERVATION_EXISTS")                          \
  X(task_not_assignable, "TASK_NOT_ASSIGNABLE")                        \
  X(plan_stale, "PLAN_STALE")                                          \
  X(lease_invalid, "LEASE_INVALID")                                    \
  X(invalid_state_transition, "INVALID_STATE_TRANSITION")              \
  X(state_not_allowed, "STATE_NOT_ALLOWED")                            \
  X(review_required_for_integration, "REVIEW_REQUIRED_FOR_INTEGRATION") \
  X(review_evidence_required, "REVIEW_EVIDENCE_REQUIRED")              \
  X(self_review_not_allowed, "SELF_REVIEW_NOT_ALLOWED")                \
  X(gate_decision_required, "GATE_DECISION_REQUIRED")                  \
  X(already_revoked, "ALREADY_REVOKED")                                \
  X(invariant_violation, "INVARIANT_VIOLATION")                        \
  X(storage_failure, "STORAGE_FAILURE")                                \
  X(unavailable, "SERVICE_UNAVAILABLE")                                \
  X(lease_fenced, "LEASE_FENCED")                                      \
  X(dependencies_unmet, "DEPENDENCIES_UNMET")                          \
  X(capability_mismatch, "CAPABILITY_MISMATCH")                        \
  X(reservation_not_found, "RESERVATION_NOT_FOUND")                    \
  X(nothing_claimable, "NOTHING_CLAIMABLE")                            \
  X(idempotency_key_reused, "IDEMPOTENCY_KEY_REUSED")                  \
  X(key_project_mismatch, "PROJECT_MISMATCH")                          \
  X(identity_mismatch, "IDENTITY_MISMATCH")                            \
  X(lease_invalidated, "LEASE_INVALIDATED")                            \
  X(touch_conflict, "TOUCH_CONFLICT")                                  \
  X(policy_config_invalid, "POLICY_CONFIG_INVALID")                    \
  X(plan_not_found, "PLAN_NOT_FOUND")                                  \
  X(report_not_found, "REPORT_NOT_FOUND")                              \
  X(duplicate_run, "DUPLICATE_RUN")                                    \
  X(not_rerunnable, "NOT_RERUNNABLE")                                  \
  X(plan_already_applied, "PLAN_ALREADY_APPLIED")

enum class errc : uint8_t {
  none = 0,
#define TASCADE_ERRC_ENUM(name, wire) name,
  TASCADE_ERRC_LIST(TASCADE_ERRC_ENUM)
#undef TASCADE_ERRC_ENUM
};

/// The category atom of every Tascade `caf::error`.
inline constexpr caf::atom_value error_category = caf::atom("tascade");

/// The spec's wire code of `code` (e.g. "CYCLE_DETECTED").
std::string_view to_string(errc code);

/// An error whose message is the wire code itself.
caf::error make_error(errc code);
/// An error with a human message shown to the client.
caf::error make_error(errc code, std::string message);
/// An error with a message and a `details` object shown to the client.
caf::error make_error(errc code, std::string message, const boost::json::object& details);

/// The code of a Tascade error; nullopt-like `errc::none` for other categories.
errc code_of(const caf::error& err);
/// The human message carried by a Tascade error (its wire code when none was given).
std::string message_of(const caf::error& err);
/// The `details` object carried by a Tascade error, or null.
boost::json::value details_of(const caf::error& err);

/// Renders a Tascade error for logs; register with `add_error_category(error_category, fn)`.
std::string render_error(uint8_t code, caf::atom_value, const caf::message& context);

}  // namespace tascade

namespace caf {
/// Lets `err == tascade::errc::x` read naturally in code and tests.
inline bool operator==(const caf::error& err, tascade::errc code) {
  return err.category() == tascade::error_category && err.code() == static_cast<uint8_t>(code);
}
}  // namespace caf
