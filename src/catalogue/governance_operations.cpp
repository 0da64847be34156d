// The governance operations of the catalogue (issue 4): gate rules, gate decisions, gate
// checkpoints, gate policy evaluation, plan changesets (create, validate, apply) and the
// current plan. Handlers translate; the rules live in src/actors/ (gate_rules, plan_rules).

#include "actors/gate_rules.hpp"
#include "actors/governance_commands.hpp"
#include "actors/plan_rules.hpp"
#include "catalogue/operation_support.hpp"
#include "catalogue/json/governance_shapes.hpp"

#include <algorithm>

namespace tascade::catalogue {

namespace {

field_spec project_body() { return body("project_id", field_type::string, true, "Project UUID."); }
field_spec project_query() {
  return query("project_id", field_type::string, true, nullptr, "Project UUID.");
}
field_spec changeset_path() { return path_param("changeset_id", "Changeset UUID."); }

// The changeset a caller may see: a project key sees only its own project's (others answer
// as missing ones, as tasks do).
caf::expected<const changeset_view*> visible_changeset(const read_model& m,
                                                       const call_context& ctx,
                                                       std::string_view ref) {
  auto id = uuid::parse(ref);
  auto* c = id ? m.changeset(*id) : nullptr;
  if (!c || (!ctx.who.global() && c->project.str() != ctx.who.project))
    return make_error(errc::changeset_not_found, "Changeset not found");
  return c;
}

operation create_gate_rule_op(const services& s) {
  return {"create_gate_rule",
          "Create a gate rule: descriptive configuration (scope, conditions, required evidence, "
          "reviewer roles) that gate decisions reference.",
          "POST", "/v1/gate-rules", std::vector<role>{role::planner}, false, 201, "GateRule",
          {project_body(), text("name", "Rule name."),
           with_default(body("scope", field_type::object, false, ""), json::object{}),
           with_default(body("conditions", field_type::object, false, ""), json::object{}),
           with_default(body("required_evidence", field_type::object, false, ""), json::object{}),
           with_default(body("required_reviewer_roles", field_type::string_array, false, ""),
                        json::array{}),
           with_default(body("is_active", field_type::boolean, false, ""), true)},
          [s](call_context ctx, json::object in) {
            create_gate_rule cmd{meta_of(ctx),
                                 str(in, "project_id"),
                                 str(in, "name"),
                                 in.at("scope").as_object(),
                                 in.at("conditions").as_object(),
                                 in.at("required_evidence").as_object(),
                                 strings(in, "required_reviewer_roles"),
                                 in.at("is_active").as_bool()};
            run_command(s, ctx, std::move(cmd), 201,
                        [](const read_model& m, const command_done& d) -> json::value {
                          auto* r = m.gate_rule(*uuid::parse(created_id(d)));
                          return r ? json::value(to_json(*r)) : nullptr;
                        });
          }};
}

operation create_gate_decision_op(const services& s) {
  return acting_as(
    {"create_gate_decision",
     "Record a gate decision (approved, rejected, approved_with_risk) on a task or a phase. An "
     "approving decision on a review_gate or merge_gate task lets it be integrated.",
     "POST", "/v1/gate-decisions", std::vector<role>{role::reviewer}, false, 201, "GateDecision",
     {project_body(), body("gate_rule_id", field_type::string, true, "The rule it applies."),
      nullable(body("task_id", field_type::string, false, "The gate task decided on.")),
      nullable(body("phase_id", field_type::string, false, "The phase decided on.")),
      one_of(body("outcome", field_type::string, true, "The decision."),
             {"approved", "rejected", "approved_with_risk"}),
      text("actor_id", "The reviewer."), text("reason", "Why."),
      with_default(body("evidence_refs", field_type::string_array, false, ""), json::array{})},
     [s](call_context ctx, json::object in) {
       record_gate_decision cmd{meta_of(ctx),        str(in, "project_id"),
                                str(in, "gate_rule_id"), opt_str(in, "task_id"),
                                opt_str(in, "phase_id"), str(in, "outcome"),
                                str(in, "actor_id"),  str(in, "reason"),
                                strings(in, "evidence_refs")};
       run_command(s, ctx, std::move(cmd), 201,
                   [](const read_model& m, const command_done& d) -> json::value {
                     auto id = uuid::parse(created_id(d));
                     auto& p = d.records.front().payload;
                     auto project = project_id::parse(p.at("project_id").as_string());
                     for (auto* g : m.gate_decisions(*project, std::nullopt, std::nullopt))
                       if (g->id == *id)
                         return to_json(*g);
                     return nullptr;
                   });
     }},
    {"actor_id"});
}

operation list_gate_decisions_op(const services& s) {
  return {"list_gate_decisions", "A project's gate decisions, newest first.", "GET",
          "/v1/gate-decisions", std::vector<role>{}, false, 200, "GateDecisionList",
          {project_query(), query("task_id", field_type::string, false, nullptr, ""),
           query("phase_id", field_type::string, false, nullptr, "")},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto* p = find_project(m, in.at("project_id").as_string());
              if (!p)
                return project_not_found();
              json::array items;
              for (auto* d : m.gate_decisions(p->id, opt_str(in, "task_id"),
                                              opt_str(in, "phase_id")))
                items.push_back(to_json(*d));
              return json::object{{"items", items}};
            });
          }};
}

operation list_checkpoints_op(const services& s) {
  return {"list_gate_checkpoints",
          "Open gate tasks (review_gate, merge_gate) with their scope, age and candidate "
          "readiness; ordered by priority, then age.",
          "GET", "/v1/gates/checkpoints", std::vector<role>{}, false, 200, "GateCheckpointList",
          {project_query(),
           query("gate_type", field_type::string, false, nullptr, "review_gate or merge_gate."),
           query("phase_id", field_type::string, false, nullptr, ""),
           query("milestone_id", field_type::string, false, nullptr, ""),
           query("include_completed", field_type::boolean, false, false,
                 "Include gates outside the active states."),
           query("limit", field_type::integer, false, 50, "Page size, 0..1000."),
           query("offset", field_type::integer, false, 0, "Items to skip.")},
          [s](call_context ctx, json::object in) {
            auto paging = page_of(ctx, in);
            if (!paging)
              return;
            auto limit = paging->limit, offset = paging->offset;
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto* p = find_project(m, in.at("project_id").as_string());
              if (!p)
                return project_not_found();
              auto gate_type = opt_str(in, "gate_type");
              if (gate_type && *gate_type != "review_gate" && *gate_type != "merge_gate")
                return make_error(errc::invalid_gate_type,
                                  "Unknown gate type filter");
              auto phase = opt_str(in, "phase_id");
              auto milestone = opt_str(in, "milestone_id");
              bool completed = in.at("include_completed").as_bool();
              std::vector<const task_view*> gates;
              for (auto* t : m.tasks_in_order(p->id)) {
                if (!is_gate(t->klass) || (!completed && !is_active_gate_state(t->state)))
                  continue;
                if ((gate_type && to_string(t->klass) != *gate_type) ||
                    (phase && t->phase.str() != *phase) ||
                    (milestone && t->milestone.str() != *milestone))
                  continue;
                gates.push_back(t);
              }
              std::stable_sort(gates.begin(), gates.end(),
                               [](const task_view* a, const task_view* b) {
                                 return std::tuple(a->priority, a->created_at.micros, a->id) <
                                        std::tuple(b->priority, b->created_at.micros, b->id);
                               });
              json::array items;
              auto now = system_now();
              for (size_t i = size_t(offset); i < gates.size() && items.size() < size_t(limit);
                   ++i)
                items.push_back(checkpoint_json(m, *gates[i], now));
              return json::object{{"items", items},
                                  {"total", gates.size()},
                                  {"limit", limit},
                                  {"offset", offset}};
            });
          }};
}

operation evaluate_policies_op(const services& s) {
  return acting_as(
    {"evaluate_gate_policies",
     "Evaluate the gate policies of a project: per milestone, create the review and merge gates "
     "its state calls for (milestone completion, implemented backlog, risk overlap, age SLA, "
     "scope drift), each once while it is open. Policy keys: implemented_backlog_threshold, "
     "risk_threshold, implemented_age_hours (integers >= 1), risk_task_classes, "
     "scope_drift_review (bool).",
     "POST", "/v1/gates/evaluate", std::vector<role>{role::planner, role::operator_}, false,
     200, "PolicyEvaluation",
     {project_body(), text("actor_id", "Who evaluates (recorded as generated_by)."),
      with_default(body("policy", field_type::object, false, "Policy overrides."),
                   json::object{})},
     [s](call_context ctx, json::object in) {
       auto policy = parse_gate_policy(in.at("policy").as_object());
       if (!policy)
         return ctx.fail(std::move(policy.error()));
       evaluate_gate_policies cmd{meta_of(ctx), str(in, "project_id"), str(in, "actor_id"),
                                  *policy, in.at("policy").as_object()};
       run_command(s, ctx, std::move(cmd), 200,
                   [](const read_model& m, const command_done& d) -> json::value {
                     for (auto& rec : d.records)
                       if (rec.type == events::gate_policies_evaluated::type) {
                         json::array created;
                         for (auto& id : rec.payload.at("created_task_ids").as_array())
                           if (auto* t = m.task(*task_id::parse(id.as_string())))
                             created.push_back(graph_task(*t));
                         return json::object{{"created", created},
                                             {"evaluated", rec.payload.at("evaluated")}};
                       }
                     return nullptr;
                   });
     }},
    {"actor_id"});
}

operation create_changeset_op(const services& s) {
  return acting_as(
    {"create_plan_changeset",
     "Create a draft plan changeset: operations update_task {task_id, payload: fields} and "
     "reprioritize_task {task_id, payload: {priority}}, based on base_plan_version.",
     "POST", "/v1/plans/changesets", std::vector<role>{role::planner}, false, 201,
     "PlanChangeset",
     {project_body(),
      body("base_plan_version", field_type::integer, true, "The plan version it is based on."),
      body("target_plan_version", field_type::integer, true, "The version it should create."),
      body("operations", field_type::array, true, "{op, task_id?, payload?} items."),
      body("created_by", field_type::string, true, "The planner.")},
     [s](call_context ctx, json::object in) {
       json::array ops;
       auto& given = in.at("operations").as_array();
       for (size_t i = 0; i < given.size(); ++i) {
         auto op = normalise_operation(given[i], i);
         if (!op)
           return ctx.fail(std::move(op.error()));
         ops.push_back(std::move(*op));
       }
       create_changeset cmd{meta_of(ctx),
                            str(in, "project_id"),
                            in.at("base_plan_version").to_number<int64_t>(),
                            in.at("target_plan_version").to_number<int64_t>(),
                            std::move(ops),
                            str(in, "created_by")};
       run_command(s, ctx, std::move(cmd), 201,
                   [](const read_model& m, const command_done& d) -> json::value {
                     auto* c = m.changeset(*uuid::parse(created_id(d)));
                     return c ? json::value(to_json(*c)) : nullptr;
                   });
     }},
    {"created_by"});
}

operation apply_changeset_op(const services& s) {
  return with_scope(
    {"apply_plan_changeset",
     "Apply a changeset: refused with PLAN_STALE when its base is not the current plan version "
     "(unless allow_rebase). Creates the next plan version; material changes (work_spec, "
     "task_class, capability_tags, expected_touches, exclusive_paths, shared_paths) end the "
     "claims and reservations of the changed tasks, whose holders then get LEASE_INVALIDATED.",
     "POST", "/v1/plans/changesets/{changeset_id}/apply", std::vector<role>{role::planner},
     false, 200, "ApplyPlanChangesetResponse",
     {changeset_path(),
      with_default(body("allow_rebase", field_type::boolean, false, "Skip the staleness check."),
                   false),
      nullable(body("applied_by", field_type::string, false, "Informational."))},
     [s](call_context ctx, json::object in) {
       auto seen = s.hub->read([&](const read_model& m) -> caf::error {
         auto c = visible_changeset(m, ctx, in.at("changeset_id").as_string());
         return c ? caf::error{} : std::move(c.error());
       });
       if (seen)
         return ctx.fail(std::move(seen));
       apply_changeset cmd{meta_of(ctx), str(in, "changeset_id"), in.at("allow_rebase").as_bool()};
       run_command(s, ctx, std::move(cmd), 200, [](const read_model& m, const command_done& d) {
         return apply_result_json(m, d);
       });
     }},
    scope_kind::filtered);
}

operation validate_changeset_op(const services& s) {
  return with_scope(
    {"validate_plan_changeset",
     "Dry run of apply: whether it would be refused (stale base, missing task, bad field), the "
     "plan version it would create, the field changes, and the claims and reservations it "
     "would invalidate now. Changes nothing.",
     "POST", "/v1/plans/changesets/{changeset_id}/validate", std::vector<role>{role::planner},
     false, 200, "ChangesetValidation",
     {changeset_path(),
      with_default(body("allow_rebase", field_type::boolean, false, "As for apply."), false)},
     [s](call_context ctx, json::object in) {
       run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
         auto c = visible_changeset(m, ctx, in.at("changeset_id").as_string());
         if (!c)
           return std::move(c.error());
         return validation_json(m, **c, in.at("allow_rebase").as_bool());
       });
     }},
    scope_kind::filtered);
}

operation current_plan_op(const services& s) {
  return {"get_current_plan",
          "The project's current plan version and every version before it (oldest first), "
          "with the changesets that made them.",
          "GET", "/v1/plans/current", std::vector<role>{}, false, 200, "CurrentPlan",
          {project_query()},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto* p = find_project(m, in.at("project_id").as_string());
              if (!p)
                return project_not_found();
              return current_plan_json(m, *p);
            });
          }};
}

}  // namespace

std::vector<operation> governance_operations(const services& s) {
  return {create_gate_rule_op(s),   create_gate_decision_op(s), list_gate_decisions_op(s),
          list_checkpoints_op(s),   evaluate_policies_op(s),    create_changeset_op(s),
          validate_changeset_op(s), apply_changeset_op(s),      current_plan_op(s)};
}

}  // namespace tascade::catalogue
