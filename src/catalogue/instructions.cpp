#include "catalogue/instructions.hpp"

namespace tascade::catalogue {

const std::string& instructions_text() {
  static const std::string text = R"(# Tascade protocol guide

Call this once at the start of a session. Tascade coordinates agents working on one plan:
claim work, keep the lease alive, record what you produced, and let a reviewer integrate it.

## Project Setup

Each level needs its parent's id; sequences start at 0 and are unique within their parent.

1. `create_project(name)` returns the project `id`.
2. `create_phase(project_id, name, sequence)` returns a phase with short_id `P1`, `P2`, ...
3. `create_milestone(project_id, phase_id, name, sequence)` returns short_id `P1.M1`.
4. `create_task(project_id, milestone_id, title, task_class, work_spec, ...)` returns short_id
   `P1.M1.T1` and starts in state `ready`.

Valid `task_class` values: architecture, db_schema, security, cross_cutting, review_gate,
merge_gate, frontend, backend, crud, other.

`work_spec` is an object: `objective` (string) and `acceptance_criteria` (list of strings) are
required; `constraints`, `interfaces` and `path_hints` (lists of strings) are optional.

Task states, happy path: backlog -> ready -> reserved/claimed -> in_progress -> implemented ->
integrated. Also: conflict, blocked, abandoned, cancelled.

## Lifecycle tool sequence

1. Read context: `get_project`, `get_project_graph`, `list_tasks`, `get_task_context`.
2. Pick or create work: `list_ready_tasks(project_id, agent_id, capabilities)` (capabilities is a
   list or a comma-separated string), `create_task`, and
   `create_dependency(project_id, from_task_id, to_task_id, unlock_on)`: from_task is the
   prerequisite of to_task; to_task becomes ready when from_task reaches `unlock_on`
   (`implemented` or `integrated`).
3. Execute: `claim_task(task_id, project_id, agent_id)` gives a lease token; call
   `heartbeat_task(task_id, project_id, agent_id, lease_token)` before the lease expires; move the
   task with `transition_task_state(task_id, project_id, new_state, actor_id, reason)`.
4. Replan: `create_plan_changeset`, then `apply_plan_changeset` (when the server offers them).
   A PLAN_STALE error is retryable: re-read the plan and try again.

## Artifacts before implemented

Before moving a task to `implemented`, record what you produced with
`create_task_artifact(project_id, task_id, agent_id, branch, commit_sha, check_status,
touched_files)`; `check_status` is `pending`, `passed` or `failed`. Integration attempts record
merges: `enqueue_integration_attempt`, then `update_integration_attempt_result` with `result`
`success`, `conflict` or `failed_checks`.

## Governance

- Workers move tasks up to `implemented`; only a reviewer (orchestrator or human review) moves
  them to `integrated`.
- Integration needs `reviewed_by` naming someone other than `actor_id`, and
  `review_evidence_refs` (links to the review).
- Gate tasks (review_gate, merge_gate) need a gate decision first: record it with
  `create_gate_decision` (outcome `approved`, `rejected` or `approved_with_risk`) when offered.
- With API keys, fields that name the caller (agent_id, actor_id, ...) must be your key's name.

## Task references

Use short ids (P1.M1.T3) when talking to humans (add the UUID on first mention); pass UUIDs in
tool parameters.

## Work traceability

Find or create a task for every piece of work, claim it before you start, keep its state up
to date, and commit your work before moving it to `implemented`.

## Errors

A failed tool call returns `isError: true` with `{"error": {"code", "message", "retryable"}}`
after the prefix `Error executing tool <name>: `. Retry only when `retryable` is true.
)";
  return text;
}

operation get_instructions_operation() {
  operation op{"get_instructions",
               "The protocol guide for agents (Markdown): project setup, task classes, work_spec, "
               "states, the review rules. Call it once before any other tool.",
               "", "", std::vector<role>{}, false, 200, "", {},
               [](call_context ctx, boost::json::object) {
                 ctx.reply({200, boost::json::value(instructions_text())});
               }};
  op.scope = scope_kind::filtered;  // no project involved
  return mcp_only(std::move(op));
}

}  // namespace tascade::catalogue
