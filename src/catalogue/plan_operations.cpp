// The planner's operations (issue 17; spec §1): create a plan from a PRD and a contract, read it
// (summary, tasks.json, graph, report), rerun it (against a changed contract: the changeset it
// proposes for the project it was applied to), record executor callbacks as context cards, and
// apply it to a project. Handlers translate; planning runs in the plan book
// (src/planner/plan_book.hpp), applying in the project actor (src/actors/plan_apply_rules.hpp).

#include "actors/access_rules.hpp"
#include "actors/governance_commands.hpp"
#include "actors/plan_commands.hpp"
#include "catalogue/json/plan_shapes.hpp"
#include "catalogue/operation_support.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace tascade::catalogue {

namespace {

field_spec plan_path() { return path_param("plan_id", "Plan UUID."); }

// The plan a caller may see (access_rules' may_see_plan); others answer as missing ones.
caf::expected<const plan_view*> visible_plan(const read_model& m, const call_context& ctx,
                                             std::string_view ref) {
  auto id = uuid::parse(ref);
  auto* p = id ? m.plan(*id) : nullptr;
  auto applied = [&]() -> std::string {
    auto* project = p && !p->applied.empty() ? p->applied.if_contains("project_id") : nullptr;
    return project ? std::string(project->as_string()) : std::string();
  };
  if (!p || !may_see_plan(ctx.who, p->project_ref, applied()))
    return plan_not_found(std::string(ref));
  return p;
}

// A plan read: the plan's view through `fn`.
template <class Fn>
void read_plan(const services& s, const call_context& ctx, const json::object& in, Fn fn) {
  run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
    auto p = visible_plan(m, ctx, in.at("plan_id").as_string());
    if (!p)
      return std::move(p.error());
    return fn(m, **p);
  });
}

caf::error invalid(std::string what) {
  return make_error(errc::validation_failed, std::move(what));
}

// `contract` of a request into text and syntax (spec §1.2, §1.13 [PROPOSAL]): a non-empty
// `document` object is OpenAPI JSON, a `document` string is JSON, YAML or SDL text (detected),
// `sdl` is GraphQL SDL; nothing (or `{}`/null) asks for a contract synthesized from the PRD.
// `ref` is not read: server-side file references are disabled (the spec's proposal).
caf::expected<std::pair<std::string, std::string>> contract_of(const json::object& c) {
  for (auto& [key, value] : c)
    if (key != "document" && key != "ref" && key != "sdl")
      return invalid("contract." + std::string(key) + ": Extra inputs are not permitted");
  if (auto* sdl = c.if_contains("sdl"); sdl && !sdl->is_null()) {
    if (!sdl->is_string())
      return invalid("contract.sdl must be a string");
    return std::make_pair(std::string(sdl->get_string()), std::string("graphql"));
  }
  auto* doc = c.if_contains("document");
  if (!doc || doc->is_null())
    return std::make_pair(std::string(), std::string());
  if (doc->is_object())
    return doc->get_object().empty()
             ? std::make_pair(std::string(), std::string())
             : std::make_pair(json::serialize(*doc), std::string("json"));
  if (doc->is_string())
    return std::make_pair(std::string(doc->get_string()), std::string());
  return invalid("contract.document must be an object or a string");
}

caf::expected<plan_source> source_of(const json::object& in) {
  plan_source out;
  auto& prd = in.at("prd").as_object();
  for (auto& [key, value] : prd)
    if (key != "text" && key != "ref")
      return invalid("prd." + std::string(key) + ": Extra inputs are not permitted");
  if (auto* text = prd.if_contains("text"); text && !text->is_null()) {
    if (!text->is_string())
      return invalid("prd.text must be a string");
    out.prd_text = std::string(text->get_string());
  }
  auto contract = contract_of(in.at("contract").as_object());
  if (!contract)
    return std::move(contract.error());
  out.contract_text = std::move(contract->first);
  out.contract_syntax = std::move(contract->second);
  if (auto& options = in.at("options"); options.is_object())
    out.options = options.get_object();
  return out;
}

// The spec's two spellings (`projectId` and `project_id`, `runId` and `run_id`).
std::optional<std::string> either(const json::object& in, std::string_view a, std::string_view b) {
  for (auto key : {a, b})
    if (auto& v = in.at(key); v.is_string())
      return std::string(v.get_string());
  return std::nullopt;
}

json::value summary_of_created(const read_model& m, const command_done& d) {
  auto* p = m.plan(*uuid::parse(created_id(d)));
  return p ? json::value(plan_summary_json(*p)) : nullptr;
}

// What a stored plan was made from (spec §9.3 params.ingest), for a rerun.
plan_source stored_source(const plan_view& p) {
  auto& params = p.plan.at("params").as_object();
  auto& ingest = params.at("ingest").as_object();
  plan_source out;
  out.prd_text = std::string(ingest.at("prdText").as_string());
  out.contract_text = std::string(ingest.at("contractText").as_string());
  std::string syntax(ingest.at("contractSyntax").as_string());
  out.contract_syntax = syntax == "synthesized" ? "" : syntax;
  if (auto* o = params.if_contains("requestOptions"); o && o->is_object())
    out.options = o->get_object();
  return out;
}

operation create_plan_op(const services& s) {
  return with_scope(
    {"create_plan",
     "Plan a PRD against an API contract (OpenAPI 3.1/3.0/Swagger 2.0 as JSON or YAML, or "
     "GraphQL SDL; none: synthesized from the PRD): a DAG of atomic tasks with complexity "
     "scores, token budgets and coverage, recorded as the plan's event stream. Synchronous.",
     "POST", "/plans", std::vector<role>{role::planner}, false, 201, "PlanSummary",
     {nullable(body("projectId", field_type::string, false,
                    "The project the plan is for (free text; a project key sees the plans "
                    "made for its own project id, and those applied to it).")),
      nullable(body("project_id", field_type::string, false, "Spelling of projectId.")),
      nullable(body("runId", field_type::string, false, "Unique per projectId.")),
      nullable(body("run_id", field_type::string, false, "Spelling of runId.")),
      body("prd", field_type::object, true, "{text}: the PRD (Markdown)."),
      body("contract", field_type::object, true,
           "{document: object|string, sdl: string}; {} synthesizes one from the PRD."),
      nullable(body("options", field_type::object, false,
                    "{headroomPct, allowResearch, modelClass}: recorded only."))},
     [s](call_context ctx, json::object in) {
       auto project_ref = either(in, "projectId", "project_id");
       auto run_id = either(in, "runId", "run_id");
       if (!project_ref)
         return ctx.fail(invalid("projectId: Field required"));
       if (!run_id)
         return ctx.fail(invalid("runId: Field required"));
       auto source = source_of(in);
       if (!source)
         return ctx.fail(std::move(source.error()));
       create_plan cmd{meta_of(ctx), *project_ref, *run_id, std::move(*source)};
       run_command_at(s, s.plan_book, std::move(ctx), std::move(cmd), 201, summary_of_created);
     }},
    scope_kind::filtered);
}

operation get_plan_op(const services& s) {
  return with_scope({"get_plan", "A plan's summary: status, report reference, coverage, and "
                     "where it was applied.",
                     "GET", "/plans/{plan_id}", std::vector<role>{}, false, 200, "PlanSummary",
                     {plan_path()},
                     [s](call_context ctx, json::object in) {
                       read_plan(s, ctx, in, [](const read_model&, const plan_view& p) {
                         return json::value(plan_summary_json(p));
                       });
                     }},
                    scope_kind::filtered);
}

operation plan_tasks_op(const services& s) {
  return with_scope({"get_plan_tasks",
                     "The plan's tasks in order: dependencies, acceptance criteria, token "
                     "budget, complexity (CCS) and model class of each.",
                     "GET", "/plans/{plan_id}/tasks.json", std::vector<role>{}, false, 200,
                     "PlanTaskList", {plan_path()},
                     [s](call_context ctx, json::object in) {
                       read_plan(s, ctx, in, [](const read_model&, const plan_view& p) {
                         return json::value(plan_tasks_json(p));
                       });
                     }},
                    scope_kind::filtered);
}

operation plan_graph_op(const services& s) {
  return with_scope({"get_plan_graph", "The plan's DAG: nodes in order, edges in creation order.",
                     "GET", "/plans/{plan_id}/graph", std::vector<role>{}, false, 200,
                     "PlanGraph", {plan_path()},
                     [s](call_context ctx, json::object in) {
                       read_plan(s, ctx, in, [](const read_model&, const plan_view& p) {
                         return json::value(plan_graph_json(p));
                       });
                     }},
                    scope_kind::filtered);
}

operation plan_report_op(const services& s) {
  return with_scope({"get_plan_report",
                     "The plan's report (spec §9.1), keys sorted: nodes by domain, DAG, "
                     "coverage, tokens, CCS distribution, window compliance.",
                     "GET", "/plans/{plan_id}/report", std::vector<role>{}, false, 200,
                     "PlanReport", {plan_path()},
                     [s](call_context ctx, json::object in) {
                       run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
                         auto p = visible_plan(m, ctx, in.at("plan_id").as_string());
                         if (!p)
                           return std::move(p.error());
                         return plan_report_json(**p);
                       });
                     }},
                    scope_kind::filtered);
}

// After a rerun of an applied plan is recorded: its proposal becomes a draft changeset of the
// project (validate it for the dry run, apply it to reopen the affected tasks).
void propose_changeset(const services& s, std::shared_ptr<const call_context> ctx,
                       const command_done& done) {
  auto plan = *uuid::parse(created_id(done));
  auto proposal = s.hub->read([&](const read_model& m) -> std::optional<create_changeset> {
    auto* p = m.plan(plan);
    if (!p || p->proposed.empty() || !p->source)
      return std::nullopt;
    auto* source = m.plan(*p->source);
    if (!source || source->applied.empty())
      return std::nullopt;
    auto project = project_id::parse(source->applied.at("project_id").as_string());
    auto* view = project ? m.project(*project) : nullptr;
    if (!view)
      return std::nullopt;
    return create_changeset{meta_of(*ctx), project->str(), view->plan_version,
                            view->plan_version + 1, p->proposed, "plan:" + plan.str()};
  });
  auto render = [hub = s.hub, plan, ctx] {
    auto body = hub->read([&](const read_model& m) -> json::value {
      auto* p = m.plan(plan);
      return p ? json::value(plan_summary_json(*p)) : nullptr;
    });
    if (body.is_null())
      ctx->fail(make_error(errc::invariant_violation, "the result is not visible"));
    else
      ctx->reply({200, std::move(body)});
  };
  if (!proposal)
    return render();
  s.ask->ask<command_done>(
    s.registry, std::move(*proposal), [render](command_done&) { render(); },
    [ctx](caf::error& err) { ctx->fail(std::move(err)); });
}

operation rerun_plan_op(const services& s) {
  return with_scope(
    {"rerun_plan",
     "Plan again from the plan's PRD and contract, or against a changed `contract`: a new plan "
     "(new id and runId) with the contract diff. When the plan was applied to a project, the "
     "changes it calls for (new tasks for new operations, cancelled tasks for removed ones, "
     "material updates that end claims for changed ones) become a draft changeset of that "
     "project (proposedChangesetId): validate it as a dry run, then apply it.",
     "POST", "/plans/{plan_id}/rerun", std::vector<role>{role::planner}, false, 200,
     "PlanSummary",
     {plan_path(),
      nullable(body("contract", field_type::object, false,
                    "The changed contract, as for create_plan; absent: the stored one."))},
     [s](call_context ctx, json::object in) {
       auto cmd = s.hub->read([&](const read_model& m) -> caf::expected<rerun_plan> {
         auto p = visible_plan(m, ctx, in.at("plan_id").as_string());
         if (!p)
           return std::move(p.error());
         auto& plan = **p;
         if (!plan.plan.contains("params"))
           return make_error(errc::not_rerunnable, "Plan does not contain rerunnable payloads",
                             {{"error", "NotRerunnable"}});
         rerun_plan out;
         out.meta = meta_of(ctx);
         out.source_plan = plan.id;
         out.project_ref = plan.project_ref;
         out.run_id = uuid::random().str();
         out.before = stored_source(plan);
         out.after = out.before;
         if (auto& c = in.at("contract"); c.is_object()) {
           auto given = contract_of(c.get_object());
           if (!given)
             return std::move(given.error());
           out.after.contract_text = std::move(given->first);
           out.after.contract_syntax = std::move(given->second);
         }
         out.applied = plan.applied;
         for (auto& n : plan.plan.at("nodes").as_array())
           out.source_nodes.emplace_back(n.at("id").as_string());
         return out;
       });
       if (!cmd)
         return ctx.fail(std::move(cmd.error()));
       auto shared = std::make_shared<const call_context>(std::move(ctx));
       s.ask->ask<command_done>(
         s.plan_book, std::move(*cmd),
         [s, shared](command_done& done) { propose_changeset(s, shared, done); },
         [shared](caf::error& err) { shared->fail(std::move(err)); });
     }},
    scope_kind::filtered);
}

operation executor_callback_op(const services& s) {
  return with_scope(
    {"record_executor_callback",
     "An executor reports on a plan task (node): its artifacts are appended to the node's "
     "artifactsOut and a context card (offline summary) is recorded for downstream tasks.",
     "POST", "/executor/callbacks/{task_id}", std::vector<role>{role::planner, role::agent},
     false, 200, "ExecutorCallbackResult",
     {path_param("task_id", "The plan node's UUID."),
      body("status", field_type::string, true, "The executor's status (echoed)."),
      with_default(body("artifactsOut", field_type::array, false, "Artifact objects."),
                   json::array{}),
      with_default(body("reflections", field_type::string_array, false, "Not stored."),
                   json::array{}),
      with_default(body("citations", field_type::string_array, false, "Kept on the card."),
                   json::array{})},
     [s](call_context ctx, json::object in) {
       auto cmd = s.hub->read([&](const read_model& m) -> caf::expected<record_callback> {
         auto node = uuid::parse(in.at("task_id").as_string());
         auto* p = node ? m.plan_of_node(*node) : nullptr;
         if (!p || !visible_plan(m, ctx, p->id.str()))
           return plan_task_not_found();
         for (auto& a : in.at("artifactsOut").as_array())
           if (!a.is_object())
             return invalid("artifactsOut must be an array of objects");
         record_callback out;
         out.meta = meta_of(ctx);
         out.plan = p->id;
         out.node = *node;
         out.status = str(in, "status");
         out.artifacts_out = in.at("artifactsOut").as_array();
         out.citations = strings(in, "citations");
         out.contract_hash = std::string(p->plan.at("contractHash").as_string());
         for (auto& n : p->plan.at("nodes").as_array())
           if (n.at("id").as_string() == node->str())
             out.node_facts = {{"title", n.at("title")},
                               {"domain", n.at("domain")},
                               {"contractOps", n.at("contractOps")}};
         return out;
       });
       if (!cmd)
         return ctx.fail(std::move(cmd.error()));
       auto status = cmd->status;
       run_command_at(s, s.plan_book, std::move(ctx), std::move(*cmd), 200,
                      [status](const read_model&, const command_done& d) -> json::value {
                        return json::object{{"status", status}, {"contextCardId", created_id(d)}};
                      });
     }},
    scope_kind::filtered);
}

// The project form of a plan: phases in order, one task spec per node, edges by index.
apply_plan apply_command(const plan_view& p, const call_context& ctx, std::string project) {
  apply_plan out;
  out.meta = meta_of(ctx);
  out.project = std::move(project);
  out.plan = p.id;
  std::map<std::string, int64_t> index;
  for (auto& v : p.plan.at("nodes").as_array()) {
    auto& n = v.as_object();
    std::string phase(n.at("phase").as_string());
    if (std::find(out.phases.begin(), out.phases.end(), phase) == out.phases.end())
      out.phases.push_back(phase);
    auto work_spec = n.at("workSpec").as_object();
    work_spec["plan"].as_object()["plan_id"] = p.id.str();
    work_spec["plan"].as_object()["node_id"] = n.at("id");
    index[std::string(n.at("id").as_string())] = int64_t(out.tasks.size());
    out.tasks.push_back({{"node_id", n.at("id")},
                         {"title", n.at("title")},
                         {"description", n.at("description")},
                         {"phase", phase},
                         {"priority", n.at("priority")},
                         {"task_class", n.at("taskClass")},
                         {"capability_tags", n.at("capabilityTags")},
                         {"expected_touches", n.at("expectedTouches")},
                         {"work_spec", std::move(work_spec)}});
  }
  std::set<std::pair<int64_t, int64_t>> seen;
  for (auto& v : p.plan.at("edges").as_array()) {
    auto from = index.at(std::string(v.at("from").as_string()));
    auto to = index.at(std::string(v.at("to").as_string()));
    if (seen.insert({from, to}).second)
      out.dependencies.push_back({{"from", from}, {"to", to}});
  }
  return out;
}

operation apply_plan_op(const services& s) {
  return {"apply_plan",
          "Apply a plan to a project as one plan changeset, atomically: its phases (with a "
          "milestone each), tasks (work spec with steps, acceptance criteria, contract "
          "operations, CCS and token budget; capability tags; expected touches from the "
          "contract's paths; priority from the DAG) and dependencies, and the next plan "
          "version. Agents can claim the ready tasks at once.",
          "POST", "/plans/{plan_id}/apply", std::vector<role>{role::planner}, false, 200,
          "PlanApplied",
          {plan_path(), body("project_id", field_type::string, true, "Project UUID.")},
          [s](call_context ctx, json::object in) {
            auto cmd = s.hub->read([&](const read_model& m) -> caf::expected<apply_plan> {
              auto p = visible_plan(m, ctx, in.at("plan_id").as_string());
              if (!p)
                return std::move(p.error());
              // A rerun whose changeset was applied holds that project's tasks already.
              auto& applied = (*p)->applied;
              if (!applied.empty() && applied.at("project_id").as_string() == str(in, "project_id"))
                return make_error(errc::plan_already_applied,
                                  "Plan " + (*p)->id.str() + " was applied to this project already",
                                  {{"error", "PlanAlreadyApplied"}});
              return apply_command(**p, ctx, str(in, "project_id"));
            });
            if (!cmd)
              return ctx.fail(std::move(cmd.error()));
            auto plan = cmd->plan;
            run_command(s, std::move(ctx), std::move(*cmd), 200,
                        [plan](const read_model& m, const command_done&) -> json::value {
                          auto* p = m.plan(plan);
                          return p && !p->applied.empty() ? json::value(plan_applied_json(m, *p))
                                                          : nullptr;
                        });
          }};
}

// The seed's liveness probe (spec §1.10, T35); Tascade's own is /health.
operation planner_health_op() {
  return {"get_planner_health", "The planner's liveness probe (the seed's /healthz).", "GET",
          "/healthz", std::vector<role>{}, true, 200, "PlannerHealth", {},
          [](call_context ctx, json::object) {
            ctx.reply({200, json::object{{"status", "ok"}, {"environment", "dev"}}});
          }};
}

}  // namespace

std::vector<operation> plan_operations(const services& s) {
  return {planner_health_op(), create_plan_op(s),   get_plan_op(s),   plan_tasks_op(s),
          plan_graph_op(s),    plan_report_op(s), rerun_plan_op(s),
          executor_callback_op(s), apply_plan_op(s)};
}

}  // namespace tascade::catalogue
