#include "catalogue/error_mapping.hpp"

#include "tascade/errc.hpp"

#include <spdlog/spdlog.h>

namespace tascade::catalogue {

namespace {

int status_of(errc code) {
  switch (code) {
    case errc::validation_failed:
    case errc::idempotency_key_reused:
    case errc::policy_config_invalid:
      return 422;
    case errc::auth_missing:
    case errc::auth_invalid:
      return 401;
    case errc::project_scope_violation:
    case errc::insufficient_role:
    case errc::key_project_mismatch:
    case errc::identity_mismatch:
      return 403;
    case errc::invalid_roles:
    case errc::bad_request:
    case errc::not_rerunnable:
      return 400;
    case errc::project_not_found:
    case errc::task_not_found:
    case errc::milestone_not_found:
    case errc::phase_not_found:
    case errc::gate_rule_not_found:
    case errc::integration_attempt_not_found:
    case errc::changeset_not_found:
    case errc::api_key_not_found:
    case errc::alert_not_found:
    case errc::reservation_not_found:
    case errc::plan_not_found:
    case errc::report_not_found:
      return 404;
    case errc::project_mismatch:
    case errc::cycle_detected:
    case errc::dependency_exists:
    case errc::task_ref_ambiguous:
    case errc::invalid_state:
    case errc::invalid_gate_type:
    case errc::identifier_parent_required:
    case errc::phase_milestone_mismatch:
    case errc::sequence_conflict:
    case errc::gate_scope_required:
    case errc::task_not_claimable:
    case errc::lease_exists:
    case errc::reservation_conflict:
    case errc::reservation_exists:
    case errc::task_not_assignable:
    case errc::plan_stale:
    case errc::lease_invalid:
    case errc::invalid_state_transition:
    case errc::state_not_allowed:
    case errc::review_required_for_integration:
    case errc::review_evidence_required:
    case errc::self_review_not_allowed:
    case errc::gate_decision_required:
    case errc::already_revoked:
    case errc::invariant_violation:
    case errc::lease_fenced:
    case errc::dependencies_unmet:
    case errc::capability_mismatch:
    case errc::nothing_claimable:
    case errc::lease_invalidated:
    case errc::touch_conflict:
    case errc::duplicate_run:
    case errc::plan_already_applied:
      return 409;
    case errc::storage_failure:  // the disk may be full or failing: retry once it is fixed
    case errc::unavailable:
      return 503;
    case errc::none:
      break;
  }
  return 500;
}

}  // namespace

mapped_error map_error(const caf::error& err) {
  auto code = code_of(err);
  if (code == errc::none) {
    spdlog::warn("unexpected error: {}", caf::to_string(err));
    return {500, {{"error",
                   {{"code", "INTERNAL_ERROR"},
                    {"message", "internal error"},
                    {"retryable", true},
                    {"details", nullptr}}}}};
  }
  auto status = status_of(code);
  if (status >= 500)
    spdlog::warn("{}: {}", to_string(code), message_of(err));
  // The storage library's text names files of the server: it stays in the server's log.
  auto message = code == errc::storage_failure
                   ? std::string("The event log cannot be written right now (storage failure); "
                                 "nothing was recorded. Retry later.")
                   : message_of(err);
  boost::json::object envelope{{"code", to_string(code)},
                               {"message", message},
                               {"retryable", code == errc::plan_stale || code == errc::nothing_claimable ||
                                              status >= 500},
                               {"details", details_of(err)}};
  boost::json::object body{{"error", std::move(envelope)}};
  // The planner's errors name their code of spec §9.5 (`details.error`, e.g. PlanNotFound):
  // they also carry the seed's `{"detail": "<message>"}` (422s carry the list below instead).
  auto details = details_of(err);
  if (code != errc::validation_failed && details.is_object() &&
      details.as_object().contains("error"))
    body["detail"] = message;
  if (code == errc::validation_failed) {
    // The reference's 422 shape beside the envelope, so both kinds of client understand it.
    body["detail"] = boost::json::array{
      {{"type", "value_error"}, {"loc", {"body"}}, {"msg", message_of(err)}, {"input", nullptr}}};
  }
  return {status, std::move(body)};
}

}  // namespace tascade::catalogue
