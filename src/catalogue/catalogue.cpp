#include "catalogue/catalogue.hpp"

#include "actors/commands.hpp"
#include "catalogue/operation_support.hpp"
#include "catalogue/json/api_shapes.hpp"
#include "catalogue/json/governance_shapes.hpp"
#include "catalogue/schema.hpp"
#include "catalogue/instructions.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <unordered_set>

namespace tascade::catalogue {

namespace json = boost::json;

namespace {

// ---- the operations ---------------------------------------------------------------------------

operation health() {
  return {"health", "Liveness probe.", "GET", "/health", std::vector<role>{}, true, 200, "Health",
          {},
          [](call_context ctx, json::object) { ctx.reply({200, {{"status", "ok"}}}); }};
}

operation create_project_op(const services& s) {
  return with_scope({"create_project", "Create a project (with plan version 1).", "POST", "/v1/projects",
          std::vector<role>{role::planner, role::operator_}, false, 201, "Project",
          {text("name", "Project name.")},
          [s](call_context ctx, json::object in) {
            create_project cmd{meta_of(ctx), str(in, "name")};
            run_command(s, ctx, std::move(cmd), 201, [](const read_model& m, const command_done& done) {
              auto id = created_id(done);
              auto* p = m.project(*project_id::parse(id));
              return p ? json::value(to_json(*p)) : json::value(nullptr);
            });
          }},
    scope_kind::global);
}

operation list_projects_op(const services& s) {
  return with_scope(
    {"list_projects", "List projects, newest first (a project key sees its own only).", "GET",
     "/v1/projects", std::vector<role>{}, false, 200, "ProjectList", {},
     [s](call_context ctx, json::object) {
       run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
         json::array items;
         for (auto* p : m.projects())
           if (ctx.who.global() || p->id.str() == ctx.who.project)
             items.push_back(to_json(*p));
         return json::object{{"items", items}};
       });
     }},
    scope_kind::filtered);
}

operation get_project_op(const services& s) {
  return {"get_project", "Get one project.", "GET", "/v1/projects/{project_id}",
          std::vector<role>{}, false, 200, "Project",
          {path_param("project_id", "Project UUID.")},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto* p = find_project(m, in.at("project_id").as_string());
              if (!p)
                return project_not_found();
              return to_json(*p);
            });
          }};
}

operation create_phase_op(const services& s) {
  return {"create_phase",
          "Create a phase in a project. Its sequence must be unique in the project; the phase "
          "gets the short id P{n}.",
          "POST", "/v1/projects/{project_id}/phases", std::vector<role>{role::planner}, false, 201,
          "Phase",
          {path_param("project_id", "Project UUID."), text("name", "Phase name."),
           body("sequence", field_type::integer, true, "Order within the project, >= 0.")},
          [s](call_context ctx, json::object in) {
            create_phase cmd{meta_of(ctx), str(in, "project_id"), str(in, "name"),
                             in.at("sequence").to_number<int64_t>()};
            run_command(s, ctx, std::move(cmd), 201, [](const read_model& m, const command_done& done) {
              auto id = created_id(done);
              auto* p = m.phase(*phase_id::parse(id));
              return p ? json::value(to_json(*p)) : json::value(nullptr);
            });
          }};
}

operation list_phases_op(const services& s) {
  return {"list_phases", "List a project's phases by sequence.", "GET",
          "/v1/projects/{project_id}/phases", std::vector<role>{}, false, 200, "PhaseList",
          {path_param("project_id", "Project UUID.")},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto* p = find_project(m, in.at("project_id").as_string());
              if (!p)
                return project_not_found();
              return json::object{{"items", render_all(m.phases(p->id))}};
            });
          }};
}

operation create_milestone_op(const services& s) {
  return {"create_milestone",
          "Create a milestone in a phase. Its sequence must be unique in the project; it gets "
          "the short id {phase}.M{n}.",
          "POST", "/v1/projects/{project_id}/milestones", std::vector<role>{role::planner}, false,
          201, "Milestone",
          {path_param("project_id", "Project UUID."), text("name", "Milestone name."),
           body("sequence", field_type::integer, true, "Order within the project, >= 0."),
           nullable(body("phase_id", field_type::string, false, "The phase (required)."))},
          [s](call_context ctx, json::object in) {
            create_milestone cmd{meta_of(ctx), str(in, "project_id"), opt_str(in, "phase_id"),
                                 str(in, "name"), in.at("sequence").to_number<int64_t>()};
            run_command(s, ctx, std::move(cmd), 201, [](const read_model& m, const command_done& done) {
              auto id = created_id(done);
              auto* p = m.milestone(*milestone_id::parse(id));
              return p ? json::value(to_json(*p)) : json::value(nullptr);
            });
          }};
}

operation list_milestones_op(const services& s) {
  return {"list_milestones", "List a project's milestones by sequence.", "GET",
          "/v1/projects/{project_id}/milestones", std::vector<role>{}, false, 200,
          "MilestoneList",
          {path_param("project_id", "Project UUID."),
           query("phase_id", field_type::string, false, nullptr, "Only this phase's milestones.")},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto* p = find_project(m, in.at("project_id").as_string());
              if (!p)
                return project_not_found();
              auto phase = opt_str(in, "phase_id");
              json::array items;
              for (auto* ms : m.milestones(p->id))
                if (!phase || ms->phase.str() == *phase)
                  items.push_back(to_json(*ms));
              return json::object{{"items", items}};
            });
          }};
}

// Gate tasks keep work_spec.candidate_task_ids over REST (issue 4; the reference drops it), so
// a REST client can name a gate's candidates.
caf::expected<json::array> gate_candidates(const json::object& in) {
  auto klass = in.at("task_class").as_string();
  auto* ids = in.at("work_spec").as_object().if_contains("candidate_task_ids");
  if (!ids || (klass != "review_gate" && klass != "merge_gate"))
    return json::array{};
  if (!ids->is_array() || !std::all_of(ids->get_array().begin(), ids->get_array().end(),
                                       [](const json::value& v) { return v.is_string(); }))
    return make_error(errc::validation_failed,
                      "work_spec.candidate_task_ids must be an array of strings");
  return ids->get_array();
}

operation create_task_op(const services& s) {
  auto klass = one_of(body("task_class", field_type::string, true, "The task's class."),
                      names(task_class_names));
  return {"create_task",
          "Create a task in a milestone (state ready). work_spec needs objective and "
          "acceptance_criteria; the task gets the short id {milestone}.T{n}.",
          "POST", "/v1/tasks", std::vector<role>{role::planner}, false, 201, "Task",
          {body("project_id", field_type::string, true, "Project UUID."),
           text("title", "Task title."),
           nullable(body("description", field_type::string, false, "Longer description.")),
           with_default(body("priority", field_type::integer, false, "Lower is more urgent."),
                        100),
           body("work_spec", field_type::object, true,
                "{objective, acceptance_criteria[], constraints[]?, interfaces[]?, "
                "path_hints[]?}."),
           klass,
           with_default(body("capability_tags", field_type::string_array, false,
                             "Capabilities an agent needs."),
                        json::array{}),
           with_default(body("expected_touches", field_type::string_array, false,
                             "Paths or globs the task expects to change."),
                        json::array{}),
           with_default(body("exclusive_paths", field_type::string_array, false, ""),
                        json::array{}),
           with_default(body("shared_paths", field_type::string_array, false, ""),
                        json::array{}),
           nullable(body("phase_id", field_type::string, false,
                         "Must be the milestone's phase when given.")),
           nullable(body("milestone_id", field_type::string, false, "The milestone (required)."))},
          [s](call_context ctx, json::object in) {
            auto spec = rest_work_spec(in.at("work_spec").as_object());
            if (!spec)
              return ctx.fail(std::move(spec.error()));
            if (auto kept = gate_candidates(in); !kept)
              return ctx.fail(std::move(kept.error()));
            else if (!kept->empty())
              (*spec)["candidate_task_ids"] = std::move(*kept);
            create_task cmd;
            cmd.meta = meta_of(ctx);
            cmd.project = str(in, "project_id");
            cmd.phase = opt_str(in, "phase_id");
            cmd.milestone = opt_str(in, "milestone_id");
            cmd.title = str(in, "title");
            cmd.description = opt_str(in, "description");
            cmd.priority = in.at("priority").to_number<int64_t>();
            cmd.work_spec = std::move(*spec);
            cmd.klass = *parse_enum<task_class>(in.at("task_class").as_string(),
                                                task_class_names);
            cmd.capability_tags = strings(in, "capability_tags");
            cmd.expected_touches = strings(in, "expected_touches");
            cmd.exclusive_paths = strings(in, "exclusive_paths");
            cmd.shared_paths = strings(in, "shared_paths");
            run_command(s, ctx, std::move(cmd), 201, [](const read_model& m, const command_done& done) {
              auto id = created_id(done);
              auto* t = m.task(*task_id::parse(id));
              return t ? json::value(to_json(*t)) : json::value(nullptr);
            });
          }};
}

operation list_tasks_op(const services& s) {
  return {"list_tasks",
          "List a project's tasks ordered by priority, then creation; filter by state, phase "
          "and capability; paginate with limit/offset.",
          "GET", "/v1/tasks", std::vector<role>{}, false, 200, "TaskList",
          {query("project_id", field_type::string, true, nullptr, "Project UUID."),
           query("state", field_type::string, false, nullptr, "A task state."),
           query("phase_id", field_type::string, false, nullptr, "Only this phase's tasks."),
           query("capability", field_type::string, false, nullptr,
                 "Only tasks with this capability tag."),
           query("limit", field_type::integer, false, 50, "Page size, 0..1000."),
           query("offset", field_type::integer, false, 0, "Items to skip, >= 0.")},
          [s](call_context ctx, json::object in) {
            auto paging = page_of(ctx, in);
            if (!paging)
              return;
            auto limit = paging->limit, offset = paging->offset;
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto* p = find_project(m, in.at("project_id").as_string());
              if (!p)
                return project_not_found();
              task_query q;
              q.project = p->id;
              if (auto state = opt_str(in, "state")) {
                q.state = parse_enum<task_state>(*state, task_state_names);
                if (!q.state)
                  return make_error(errc::invalid_state, "Unknown task state filter");
              }
              if (auto phase = opt_str(in, "phase_id"))
                q.phase = phase_id::parse(*phase).value_or(phase_id{});
              q.capability = opt_str(in, "capability");
              q.limit = size_t(limit);
              q.offset = size_t(offset);
              auto page = m.tasks(q);
              json::array items;
              for (auto* t : page.items)
                items.push_back(task_summary(*t));
              return json::object{
                {"items", items}, {"total", page.total}, {"limit", limit}, {"offset", offset}};
            });
          }};
}

operation get_task_op(const services& s) {
  return with_scope({"get_task", "Get one task by UUID or short id (e.g. P1.M1.T3).", "GET",
          "/v1/tasks/{task_id}", std::vector<role>{}, false, 200, "Task",
          {path_param("task_id", "Task UUID or short id.")},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              // A project key sees only its project's tasks: others answer as missing ones.
              auto [result, task] = m.resolve_task(in.at("task_id").as_string(), ctx.who.project);
              if (result == task_ref_result::ambiguous)
                return make_error(errc::task_ref_ambiguous,
                                  "Short id matches tasks in several projects; use the UUID");
              if (!task)
                return make_error(errc::task_not_found, "Task not found");
              return to_json(*task);
            });
          }},
    scope_kind::filtered);
}

operation create_dependency_op(const services& s) {
  return {"create_dependency",
          "Add the edge from_task_id -> to_task_id: to_task cannot start until from_task "
          "reaches unlock_on. An edge that would close a cycle is refused.",
          "POST", "/v1/dependencies", std::vector<role>{role::planner}, false, 201,
          "DependencyEdge",
          {body("project_id", field_type::string, true, "Project UUID."),
           body("from_task_id", field_type::string, true, "The prerequisite task's UUID."),
           body("to_task_id", field_type::string, true, "The dependent task's UUID."),
           one_of(body("unlock_on", field_type::string, true,
                       "The prerequisite state that unlocks the dependent."),
                  names(unlock_on_names))},
          [s](call_context ctx, json::object in) {
            add_dependency cmd{meta_of(ctx), str(in, "project_id"), str(in, "from_task_id"),
                               str(in, "to_task_id"),
                               *parse_enum<unlock_on>(in.at("unlock_on").as_string(),
                                                      unlock_on_names)};
            run_command(s, ctx, std::move(cmd), 201, [](const read_model& m, const command_done& done) {
              auto id = created_id(done);
              auto* e = m.edge(*edge_id::parse(id));
              if (e)
                return json::value(to_json(*e));
              return json::value(nullptr);
            });
          }};
}

operation get_project_graph_op(const services& s) {
  return {"get_project_graph",
          "The whole project: phases, milestones, tasks and dependency edges. With "
          "include_completed=false, terminal tasks and their edges are left out.",
          "GET", "/v1/projects/{project_id}/graph", std::vector<role>{}, false, 200,
          "ProjectGraph",
          {path_param("project_id", "Project UUID."),
           query("include_completed", field_type::boolean, false, true,
                 "Include integrated, abandoned and cancelled tasks.")},
          [s](call_context ctx, json::object in) {
            run_query(s, ctx, [&](const read_model& m) -> caf::expected<json::value> {
              auto* p = find_project(m, in.at("project_id").as_string());
              if (!p)
                return project_not_found();
              bool completed = in.at("include_completed").as_bool();
              json::array tasks, edges;
              std::unordered_set<task_id> shown;
              for (auto* t : m.tasks_in_order(p->id)) {
                if (!completed && is_terminal(t->state))
                  continue;
                shown.insert(t->id);
                tasks.push_back(graph_task(*t));
                if (t->klass == task_class::review_gate || t->klass == task_class::merge_gate)
                  tasks.back().as_object()["work_spec"].as_object()["candidate_readiness"] =
                    readiness_json(m, *t);
              }
              for (auto* e : m.edges(p->id))
                if (completed || (shown.count(e->from) && shown.count(e->to)))
                  edges.push_back(to_json(*e));
              return json::object{{"project", to_json(*p)},
                                  {"phases", render_all(m.phases(p->id))},
                                  {"milestones", render_all(m.milestones(p->id))},
                                  {"tasks", tasks},
                                  {"dependencies", edges}};
            });
          }};
}

operation get_digest_op(const services& s) {
  return with_scope({"get_digest",
          "The digest of every projection and the log position it reflects; "
          "`tascade replay rebuild` prints the same digest for the same log.",
          "GET", "/v1/admin/digest", std::vector<role>{role::operator_}, false, 200, "Digest", {},
          [s](call_context ctx, json::object) {
            run_query(s, ctx, [](const read_model& m) -> caf::expected<json::value> {
              return json::object{{"digest", m.digest()}, {"checkpoint", m.checkpoint()}};
            });
          }},
    scope_kind::global);
}

}  // namespace

std::vector<operation> make_catalogue(const services& s) {
  std::vector<operation> ops{health(),
          create_project_op(s),
          list_projects_op(s),
          get_project_op(s),
          get_project_graph_op(s),
          create_phase_op(s),
          list_phases_op(s),
          create_milestone_op(s),
          list_milestones_op(s),
          create_task_op(s),
          list_tasks_op(s),
          get_task_op(s),
          create_dependency_op(s),
          get_digest_op(s),
          get_instructions_operation()};
  for (auto* more : {&execution_operations, &key_operations, &governance_operations,
                      &metrics_operations,
                      &plan_operations})
    for (auto& op : (*more)(s))
      ops.push_back(std::move(op));
  return ops;
}

}  // namespace tascade::catalogue
