// The execution operations of the catalogue (issue 3): the ready queue, claims and leases,
// reservations, state transitions, artifacts, integration attempts, context and timelines.

#include "actors/task_commands.hpp"
#include "events/codec/payload_codec.hpp"
#include "events/log_dump.hpp"
#include "actors/touch_conflicts.hpp"
#include "projections/governance_facts.hpp"
#include "catalogue/operation_support.hpp"

#include <limits>

namespace tascade::catalogue {

namespace {

// ---- rendering --------------------------------------------------------------------------------

const task_view* task_of(const read_model& m, const command_done& done, std::string_view ref) {
  if (!done.records.empty())
    if (auto* v = done.records.front().payload.if_contains("task_id"))
      return m.task(*task_id::parse(v->as_string()));
  auto id = task_id::parse(ref);
  return id ? m.task(*id) : nullptr;
}

// {task, lease, execution_snapshot}: what a claim hands the agent. The lease and snapshot are
// the ones this claim made (its event says which), even if the lease already ended again.
json::value claim_body(const read_model& m, const command_done& done) {
  auto* t = task_of(m, done, "");
  if (!t || done.records.empty())
    return nullptr;
  const auto& rec = done.records.front();
  auto claimed = events::decode_payload(rec.type, rec.schema, rec.payload);
  if (!claimed || !std::holds_alternative<events::task_claimed>(*claimed))
    return nullptr;
  const auto& e = std::get<events::task_claimed>(*claimed);
  lease_view lease{e.lease,    e.agent,   e.token,  "active",    e.expires_at,
                   rec.time,   e.fencing, rec.time, std::nullopt};
  if (t->lease && t->lease->id == e.lease)
    lease = *t->lease;
  for (auto& snap : t->snapshots)
    if (snap.id == e.snapshot)
      return json::object{{"task", to_json(*t)},
                          {"lease", to_json(*t, lease)},
                          {"execution_snapshot", to_json(*t, snap)}};
  return nullptr;
}

// An artifact's answer says whether it drifted beyond the task's expected touches, when the
// task declares some (otherwise the answer keeps the reference's Artifact shape).
json::object with_scope_drift(const task_view& t, json::object artifact,
                              const command_done& done) {
  if (t.expected_touches.empty())
    return artifact;
  json::array outside;
  for (auto& rec : done.records)
    if (rec.type == events::scope_drift_detected::type)
      outside = rec.payload.at("outside_expected").as_array();
  artifact["scope_drift"] = {{"detected", !outside.empty()}, {"files_outside_expected", outside}};
  return artifact;
}

// The task in the request's project, or the error the reference gives for list routes.
caf::expected<const task_view*> task_in_project(const read_model& m, const json::object& in) {
  auto* p = find_project(m, in.at("project_id").as_string());
  if (!p)
    return project_not_found();
  auto id = task_id::parse(in.at("task_id").as_string());
  auto* t = id ? m.task(*id) : nullptr;
  if (!t)
    return make_error(errc::task_not_found, "Task not found");
  if (t->project != p->id)
    return make_error(errc::project_mismatch, "the task belongs to another project");
  return t;
}

std::optional<double> opt_number(const json::object& in, std::string_view key) {
  auto& v = in.at(key);
  return v.is_null() ? std::nullopt : std::optional<double>(v.to_number<double>());
}
std::optional<int64_t> opt_int(const json::object& in, std::string_view key) {
  auto& v = in.at(key);
  return v.is_null() ? std::nullopt : std::optional<int64_t>(v.to_number<int64_t>());
}

lease_proof proof_of(const json::object& in) {
  lease_proof p;
  p.token = opt_str(in, "lease_token");
  if (auto f = opt_int(in, "fencing_counter"))
    p.fencing = uint64_t(*f);
  return p;
}

// Fields several operations share.
field_spec project_body() { return body("project_id", field_type::string, true, "Project UUID."); }
field_spec task_path() { return path_param("task_id", "Task UUID."); }
field_spec project_query() {
  return query("project_id", field_type::string, true, nullptr, "Project UUID.");
}
field_spec capabilities_field(param_in in) {
  field_spec f{.name = "capabilities",
               .type = in == param_in::query ? field_type::string : field_type::string_list,
               .in = in,
               .nullable = true,
               .description = "The agent's capabilities: a list, or one comma-separated string. "
                              "With capabilities, only tasks tagged with one of them match."};
  return f;
}
field_spec ttl_field(double fallback, std::string what) {
  field_spec f{.name = "ttl_seconds",
               .type = field_type::number,
               .minimum = min_ttl_seconds,
               .maximum = max_ttl_seconds,
               .default_value = fallback,
               .description = what + " in seconds (0.01 to 86400; fractions allowed)."};
  return f;
}
field_spec seen_plan_field() {
  return nullable(body("seen_plan_version", field_type::integer, false,
                       "The plan version the agent works from; older than current → PLAN_STALE."));
}
field_spec proof_token() {
  return nullable(body("lease_token", field_type::string, false,
                       "The lease token, to make the fencing check exact."));
}
field_spec proof_fencing() {
  return nullable(body("fencing_counter", field_type::integer, false,
                       "The lease's fencing counter, to make the fencing check exact."));
}

field_spec allow_conflict_field() {
  return with_default(body("allow_conflict", field_type::boolean, false,
                           "Claim even when the task's expected touches overlap those of a task "
                           "another agent holds (otherwise 409 TOUCH_CONFLICT)."),
                      false);
}

// ---- the operations ---------------------------------------------------------------------------

operation list_ready_tasks_op(const services& s) {
  return {"list_ready_tasks",
          "Tasks the agent can claim now: state ready with every dependency satisfied, plus the "
          "tasks reserved for this agent; ordered by priority (lower first), then age. With "
          "capabilities, only tasks tagged with one of them.",
          "GET", "/v1/tasks/ready", std::vector<role>{}, false, 200, "TaskList",
          {project_query(), query("agent_id", field_type::string, true, nullptr, "The agent."),
           capabilities_field(param_in::query),
           query("include_conflicting", field_type::boolean, false, false,
                 "Also list tasks whose expected touches overlap a task another agent holds."),
           query("explain", field_type::boolean, false, false,
                 "Add `omitted`: the tasks left out for touch conflicts, and why.")},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto* p = find_project(m, in.at("project_id").as_string());
              if (!p)
                return project_not_found();
              auto caps = string_list(in, "capabilities").value_or(std::vector<std::string>{});
              auto agent = str(in, "agent_id");
              bool include_conflicting = in.at("include_conflicting").as_bool();
              auto held = held_touches_of(m, p->id);
              json::array items, omitted;
              for (auto* t : m.ready_tasks(p->id, agent, caps)) {
                auto conflicts = touch_conflicts(t->id, t->expected_touches, held, agent);
                if (!conflicts.empty() && !include_conflicting) {
                  omitted.push_back({{"task_id", t->id.str()},
                                     {"short_id", t->short_id},
                                     {"reason", "touch_conflict"},
                                     {"conflicts", std::move(conflicts)}});
                  continue;
                }
                items.push_back(task_summary(*t));
              }
              json::object out{{"items", items}};
              if (in.at("explain").as_bool())
                out["omitted"] = std::move(omitted);
              return out;
            });
          }};
}

operation claim_task_op(const services& s) {
  return acting_as({"claim_task",
          "Claim a ready task (or one reserved for you): returns the task, a lease with its "
          "token and fencing counter, and the execution snapshot. Heartbeat before "
          "lease.expires_at; the lease lasts until the task leaves your hands (implemented, "
          "blocked, abandoned, cancelled) and expires without heartbeats. Refused while "
          "dependencies are unmet (DEPENDENCIES_UNMET) or capabilities do not match.",
          "POST", "/v1/tasks/{task_id}/claim", std::vector<role>{role::agent}, false, 200, "Claim",
          {task_path(), project_body(), body("agent_id", field_type::string, true, "The agent."),
           one_of(with_default(body("claim_mode", field_type::string, false, "Informational."),
                               "pull"),
                  {"pull", "directed"}),
           seen_plan_field(), ttl_field(default_lease_seconds, "Lease lifetime without heartbeat"),
           capabilities_field(param_in::body), allow_conflict_field()},
          [s](call_context ctx, json::object in) {
            claim_task cmd{meta_of(ctx),
                           str(in, "project_id"),
                           str(in, "task_id"),
                           str(in, "agent_id"),
                           opt_int(in, "seen_plan_version"),
                           in.at("ttl_seconds").to_number<double>(),
                           string_list(in, "capabilities"),
                           in.at("allow_conflict").as_bool()};
            run_command(s, ctx, std::move(cmd), 200,
                        [](const read_model& m, const command_done& d) { return claim_body(m, d); });
          }},
    {"agent_id"});
}

operation claim_next_op(const services& s) {
  return acting_as({"claim_next_task",
          "Pick and claim, in one step, the best task for this agent: its reservations first, "
          "then priority and age, among tasks matching its capabilities with every dependency "
          "satisfied. Returns what claim_task returns; when nothing is claimable, "
          "NOTHING_CLAIMABLE explains why per candidate (waiting on which dependency, reserved "
          "for whom, held by whom).",
          "POST", "/v1/tasks/claim-next", std::vector<role>{role::agent}, false, 200, "Claim",
          {project_body(), body("agent_id", field_type::string, true, "The agent."),
           seen_plan_field(), ttl_field(default_lease_seconds, "Lease lifetime without heartbeat"),
           capabilities_field(param_in::body), allow_conflict_field()},
          [s](call_context ctx, json::object in) {
            claim_next cmd{meta_of(ctx),
                           str(in, "project_id"),
                           str(in, "agent_id"),
                           opt_int(in, "seen_plan_version"),
                           in.at("ttl_seconds").to_number<double>(),
                           string_list(in, "capabilities").value_or(std::vector<std::string>{}),
                           in.at("allow_conflict").as_bool()};
            run_command(s, ctx, std::move(cmd), 200,
                        [](const read_model& m, const command_done& d) { return claim_body(m, d); });
          }},
    {"agent_id"});
}

operation heartbeat_op(const services& s) {
  return acting_as({"heartbeat_task",
          "Extend your lease (by its TTL, or ttl_seconds). Fails with LEASE_INVALID for a wrong "
          "token or agent and LEASE_FENCED once the lease expired or was invalidated.",
          "POST", "/v1/tasks/{task_id}/heartbeat", std::vector<role>{role::agent}, false, 200,
          "Heartbeat",
          {task_path(), project_body(), body("agent_id", field_type::string, true, "The agent."),
           body("lease_token", field_type::string, true, "The token from the claim."),
           seen_plan_field(),
           [] {
             auto f = nullable(body("ttl_seconds", field_type::number, false,
                                    "New lifetime in seconds; default: the lease's own TTL."));
             f.minimum = min_ttl_seconds;
             f.maximum = max_ttl_seconds;
             return f;
           }()},
          [s](call_context ctx, json::object in) {
            heartbeat_task cmd{meta_of(ctx),         str(in, "project_id"),
                               str(in, "task_id"),   str(in, "agent_id"),
                               str(in, "lease_token"), opt_int(in, "seen_plan_version"),
                               opt_number(in, "ttl_seconds")};
            run_command(s, ctx, std::move(cmd), 200,
                        [](const read_model& m, const command_done& d) -> json::value {
                          auto& p = d.records.front().payload;
                          auto* t = m.task(*task_id::parse(p.at("task_id").as_string()));
                          if (!t)
                            return nullptr;
                          auto* pv = m.project(t->project);
                          bool changed = m.changed_since_claim(
                            *t, *uuid::parse(p.at("lease_id").as_string()));
                          return json::object{
                            {"lease_expires_at",
                             timestamp{p.at("expires_at").as_int64()}.iso()},
                            {"plan_version", pv ? pv->plan_version : 1},
                            {"stale", changed},
                            {"stale_action", changed ? json::value("refresh") : nullptr}};
                        });
          }},
    {"agent_id"});
}

operation assign_op(const services& s) {
  return acting_as({"assign_task",
          "Reserve a ready task for one agent (state reserved) until ttl_seconds (default 1800) "
          "pass; only that agent can claim it, and it shows in that agent's ready list.",
          "POST", "/v1/tasks/{task_id}/assign",
          std::vector<role>{role::operator_, role::planner}, false, 200, "TaskReservation",
          {task_path(), project_body(),
           body("assignee_agent_id", field_type::string, true, "The agent it is reserved for."),
           body("created_by", field_type::string, true, "Who reserves it."),
           ttl_field(default_reservation_seconds, "Reservation lifetime"),
           capabilities_field(param_in::body)},
          [s](call_context ctx, json::object in) {
            assign_task cmd{meta_of(ctx),
                            str(in, "project_id"),
                            str(in, "task_id"),
                            str(in, "assignee_agent_id"),
                            str(in, "created_by"),
                            in.at("ttl_seconds").to_number<double>(),
                            string_list(in, "capabilities")};
            run_command(s, ctx, std::move(cmd), 200,
                        [](const read_model& m, const command_done& d) -> json::value {
                          auto* t = task_of(m, d, "");
                          if (!t || !t->reservation)
                            return nullptr;
                          return to_json(*t, *t->reservation);
                        });
          }},
    {"created_by"});
}

operation unassign_op(const services& s) {
  return {"unassign_task",
          "Release a task's reservation: the task is ready again for everyone.", "POST",
          "/v1/tasks/{task_id}/unassign", std::vector<role>{role::operator_, role::planner},
          false, 200, "Unassigned", {task_path(), project_body()},
          [s](call_context ctx, json::object in) {
            unassign_task cmd{meta_of(ctx), str(in, "project_id"), str(in, "task_id")};
            run_command(s, ctx, std::move(cmd), 200,
                        [](const read_model& m, const command_done& d) -> json::value {
                          auto* t = task_of(m, d, "");
                          if (!t || !t->reservation)
                            return nullptr;
                          return json::object{{"task", to_json(*t)},
                                              {"reservation", to_json(*t, *t->reservation)}};
                        });
          }};
}

operation transition_op(const services& s) {
  return acting_as({"transition_task_state",
          "Move a task: backlog, ready, in_progress, implemented, integrated, conflict, blocked, "
          "abandoned, cancelled (claimed and reserved only through claim and assign). "
          "implemented → integrated needs reviewed_by (not the actor, not the implementer) and "
          "review_evidence_refs; force skips the table and the review rules.",
          "POST", "/v1/tasks/{task_id}/state",
          std::vector<role>{role::planner, role::agent, role::reviewer}, false, 200,
          "TaskEnvelope",
          {task_path(), project_body(),
           one_of(body("new_state", field_type::string, true, "The target state."),
                  names(task_state_names)),
           body("actor_id", field_type::string, true, "Who moves the task."),
           text("reason", "Why."),
           nullable(body("reviewed_by", field_type::string, false, "The reviewer (integrated).")),
           with_default(body("review_evidence_refs", field_type::string_array, false,
                             "Review evidence, e.g. review://thread/123."),
                        json::array{}),
           with_default(body("force", field_type::boolean, false, "Skip the rules."), false),
           proof_token(), proof_fencing()},
          [s](call_context ctx, json::object in) {
            transition_task cmd;
            cmd.meta = meta_of(ctx);
            cmd.project = str(in, "project_id");
            cmd.task = str(in, "task_id");
            cmd.to = *parse_enum<task_state>(in.at("new_state").as_string(), task_state_names);
            cmd.actor = str(in, "actor_id");
            cmd.reason = str(in, "reason");
            cmd.reviewed_by = opt_str(in, "reviewed_by");
            cmd.review_evidence_refs = strings(in, "review_evidence_refs");
            cmd.force = in.at("force").as_bool();
            cmd.proof = proof_of(in);
            auto ref = cmd.task;
            run_command(s, ctx, std::move(cmd), 200,
                        [ref](const read_model& m, const command_done& d) -> json::value {
                          auto* t = task_of(m, d, ref);
                          return t ? json::value(json::object{{"task", to_json(*t)}}) : nullptr;
                        });
          }},
    {"actor_id"});
}

operation create_artifact_op(const services& s) {
  return acting_as({"create_task_artifact",
          "Record an artifact of the work (branch, commit, check suite, touched files); "
          "check_status is pending, passed or failed.",
          "POST", "/v1/tasks/{task_id}/artifacts", std::vector<role>{role::agent}, false, 201,
          "Artifact",
          {task_path(), project_body(), text("agent_id", "The agent."),
           nullable(body("branch", field_type::string, false, "")),
           nullable(body("commit_sha", field_type::string, false, "")),
           nullable(body("check_suite_ref", field_type::string, false, "")),
           one_of(with_default(body("check_status", field_type::string, false, ""), "pending"),
                  {"pending", "passed", "failed"}),
           with_default(body("touched_files", field_type::string_array, false, ""), json::array{}),
           proof_token(), proof_fencing()},
          [s](call_context ctx, json::object in) {
            record_artifact cmd;
            cmd.meta = meta_of(ctx);
            cmd.project = str(in, "project_id");
            cmd.task = str(in, "task_id");
            cmd.agent = str(in, "agent_id");
            cmd.branch = opt_str(in, "branch");
            cmd.commit_sha = opt_str(in, "commit_sha");
            cmd.check_suite_ref = opt_str(in, "check_suite_ref");
            cmd.check_status = str(in, "check_status");
            cmd.touched_files = strings(in, "touched_files");
            cmd.proof = proof_of(in);
            run_command(s, ctx, std::move(cmd), 201,
                        [](const read_model& m, const command_done& d) -> json::value {
                          auto* t = task_of(m, d, "");
                          auto id = uuid::parse(created_id(d));
                          if (t && id)
                            for (auto& a : t->artifacts)
                              if (a.id == *id)
                                return with_scope_drift(*t, to_json(*t, a), d);
                          return nullptr;
                        });
          }},
    {"agent_id"});
}

operation list_artifacts_op(const services& s) {
  return {"list_task_artifacts", "A task's artifacts, newest first.", "GET",
          "/v1/tasks/{task_id}/artifacts", std::vector<role>{}, false, 200, "ArtifactList",
          {task_path(), project_query()},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto t = task_in_project(m, in);
              if (!t)
                return std::move(t.error());
              json::array items;
              for (auto it = (*t)->artifacts.rbegin(); it != (*t)->artifacts.rend(); ++it)
                items.push_back(to_json(**t, *it));
              return json::object{{"items", items}};
            });
          }};
}

operation enqueue_attempt_op(const services& s) {
  return {"enqueue_integration_attempt",
          "Queue an integration attempt of a task (result queued).", "POST",
          "/v1/tasks/{task_id}/integration-attempts", std::vector<role>{role::operator_}, false,
          201, "IntegrationAttempt",
          {task_path(), project_body(), nullable(body("base_sha", field_type::string, false, "")),
           nullable(body("head_sha", field_type::string, false, "")),
           with_default(body("diagnostics", field_type::object, false, ""), json::object{})},
          [s](call_context ctx, json::object in) {
            enqueue_attempt cmd{meta_of(ctx), str(in, "project_id"), str(in, "task_id"),
                                opt_str(in, "base_sha"), opt_str(in, "head_sha"),
                                in.at("diagnostics").as_object()};
            run_command(s, ctx, std::move(cmd), 201,
                        [](const read_model& m, const command_done& d) -> json::value {
                          auto* a = m.attempt(*uuid::parse(created_id(d)));
                          return a ? json::value(to_json(*a)) : nullptr;
                        });
          }};
}

operation attempt_result_op(const services& s) {
  return {"update_integration_attempt_result",
          "Record an integration attempt's result: success, conflict or failed_checks "
          "(diagnostics are replaced).",
          "POST", "/v1/integration-attempts/{attempt_id}/result",
          std::vector<role>{role::operator_}, false, 200, "IntegrationAttempt",
          {path_param("attempt_id", "Integration attempt UUID."), project_body(),
           one_of(body("result", field_type::string, true, "The outcome."),
                  {"success", "conflict", "failed_checks"}),
           with_default(body("diagnostics", field_type::object, false, ""), json::object{})},
          [s](call_context ctx, json::object in) {
            record_attempt_result cmd{meta_of(ctx), str(in, "project_id"), str(in, "attempt_id"),
                                      str(in, "result"), in.at("diagnostics").as_object()};
            run_command(s, ctx, std::move(cmd), 200,
                        [](const read_model& m, const command_done& d) -> json::value {
                          auto* a = m.attempt(*uuid::parse(created_id(d)));
                          return a ? json::value(to_json(*a)) : nullptr;
                        });
          }};
}

operation list_attempts_op(const services& s) {
  return {"list_integration_attempts", "A task's integration attempts, newest first.", "GET",
          "/v1/tasks/{task_id}/integration-attempts", std::vector<role>{}, false, 200,
          "IntegrationAttemptList", {task_path(), project_query()},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto t = task_in_project(m, in);
              if (!t)
                return std::move(t.error());
              json::array items;
              for (auto it = (*t)->attempts.rbegin(); it != (*t)->attempts.rend(); ++it)
                items.push_back(to_json(*m.attempt(*it)));
              return json::object{{"items", items}};
            });
          }};
}

operation context_op(const services& s) {
  return {"get_task_context",
          "A task with its prerequisites (ancestors) and dependents, breadth-first, each with "
          "its distance.",
          "GET", "/v1/tasks/{task_id}/context", std::vector<role>{}, false, 200, "TaskContext",
          {task_path(), project_query(),
           // Within an int's range, so the value reaches the walk unchanged.
           within(query("ancestor_depth", field_type::integer, false, 2,
                        "Levels of prerequisites, 0..2147483647."),
                  0, std::numeric_limits<int32_t>::max()),
           within(query("dependent_depth", field_type::integer, false, 1,
                        "Levels of dependents, 0..2147483647."),
                  0, std::numeric_limits<int32_t>::max())},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto id = task_id::parse(in.at("task_id").as_string());
              auto* t = id ? m.task(*id) : nullptr;
              if (!t || t->project.str() != in.at("project_id").as_string())
                return make_error(errc::task_not_found, "Task not found");
              auto walk = [&](bool up, std::string_view key) {
                json::array out;
                for (auto [n, depth] : m.related(t->id, up, int(in.at(key).to_number<int64_t>())))
                  out.push_back({{"id", n->id.str()},
                                 {"short_id", n->short_id},
                                 {"title", n->title},
                                 {"state", to_string(n->state)},
                                 {"depth", depth}});
                return out;
              };
              return json::object{{"task", to_json(*t)},
                                  {"ancestors", walk(true, "ancestor_depth")},
                                  {"dependents", walk(false, "dependent_depth")}};
            });
          }};
}

operation snapshots_op(const services& s) {
  return {"list_execution_snapshots",
          "The execution snapshots of a task: what each claim handed its agent.", "GET",
          "/v1/tasks/{task_id}/execution-snapshots", std::vector<role>{}, false, 200,
          "SnapshotList", {task_path(), project_query()},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto t = task_in_project(m, in);
              if (!t)
                return std::move(t.error());
              json::array items;
              for (auto& snap : (*t)->snapshots)
                items.push_back(to_json(**t, snap));
              return json::object{{"items", items}};
            });
          }};
}

operation events_op(const services& s) {
  return {"list_task_events",
          "A task's audit timeline, from the event log: creation, claims, heartbeats, expiries, "
          "reservations, transitions, artifacts, attempts, unlocks.",
          "GET", "/v1/tasks/{task_id}/events", std::vector<role>{}, false, 200, "EventList",
          {task_path(), project_query()},
          [s](call_context ctx, json::object in) {
            auto seqs = s.hub->read(
              [&](const read_model& m) -> caf::expected<std::vector<global_seq>> {
                auto t = task_in_project(m, in);
                if (!t)
                  return std::move(t.error());
                return (*t)->timeline;
              });
            if (!seqs)
              return ctx.fail(std::move(seqs.error()));
            json::array items;
            for (auto seq : *seqs) {
              auto rec = s.log->read(seq);
              if (!rec)
                return ctx.fail(std::move(rec.error()));
              items.push_back(to_json_line(*rec));
            }
            ctx.reply({200, json::object{{"items", items}}});
          }};
}

}  // namespace

std::vector<operation> execution_operations(const services& s) {
  return {list_ready_tasks_op(s), claim_task_op(s),      claim_next_op(s),
          heartbeat_op(s),        assign_op(s),          unassign_op(s),
          transition_op(s),       create_artifact_op(s), list_artifacts_op(s),
          enqueue_attempt_op(s),  attempt_result_op(s),  list_attempts_op(s),
          context_op(s),          snapshots_op(s),       events_op(s)};
}

}  // namespace tascade::catalogue
