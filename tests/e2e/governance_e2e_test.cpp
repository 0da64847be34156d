// End-to-end: governance and plan evolution over HTTP against the real tascaded (issue 4; spec
// §5.5, §5.8, §9 rule 4, §10, §11; §19 scenarios 43-47, 49-57): gate rules and decisions,
// checkpoints and candidate readiness, policy evaluation, plan changesets (create, validate,
// apply, current) with stale detection and invalidation events, file-touch conflicts that steer
// two agents apart, and scope drift. Every error code of these routes is provoked; the log
// replays to the live digest afterwards.

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <latch>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;

constexpr double long_ttl = 600;

json::object details_of(const http_response& r) {
  auto v = r.json();
  auto& d = v.at("error").at("details");
  return d.is_object() ? d.as_object() : json::object{};
}

int64_t num(const json::value& v) { return v.to_number<int64_t>(); }

struct world {
  running_server s;
  hierarchy h;
  world() : h(setup_h(s.client)) {}
  http_client& c() { return s.client; }
};

json::object gate_rule(http_client& c, const std::string& project, json::object extra = {}) {
  json::object body{{"project_id", project}, {"name", "Milestone review"}};
  for (auto& [k, v] : extra)
    body[k] = v;
  return expect_object(c.post("/v1/gate-rules", body), 201, "create gate rule");
}

http_response post_decision(http_client& c, const std::string& project, const std::string& rule,
                            json::object extra) {
  json::object body{{"project_id", project}, {"gate_rule_id", rule}, {"outcome", "approved"},
                    {"actor_id", "reviewer-1"}, {"reason", "looks good"}};
  for (auto& [k, v] : extra)
    body[k] = v;
  return c.post("/v1/gate-decisions", body);
}

// A task moved to implemented by `agent` (claim, in_progress, implemented).
void implement(http_client& c, const std::string& project, const std::string& task,
               const std::string& agent) {
  claim(c, project, task, agent, {{"ttl_seconds", long_ttl}});
  transition(c, project, task, "in_progress", agent);
  transition(c, project, task, "implemented", agent);
}

http_response post_changeset(http_client& c, const std::string& project, int64_t base,
                             int64_t target, json::array ops) {
  return c.post("/v1/plans/changesets", json::object{{"project_id", project},
                                                    {"base_plan_version", base},
                                                    {"target_plan_version", target},
                                                    {"operations", std::move(ops)},
                                                    {"created_by", "planner"}});
}

json::object changeset(http_client& c, const std::string& project, int64_t base, int64_t target,
                       json::array ops) {
  return expect_object(post_changeset(c, project, base, target, std::move(ops)), 201,
                       "create changeset");
}

http_response post_apply(http_client& c, const std::string& id, json::value body = nullptr) {
  return c.post("/v1/plans/changesets/" + id + "/apply", body);
}

json::object current_plan(http_client& c, const std::string& project) {
  return expect_object(c.get("/v1/plans/current?project_id=" + project), 200, "current plan");
}

json::object spec_update(const std::string& task, std::string_view objective) {
  return {{"op", "update_task"},
          {"task_id", task},
          {"payload",
           {{"work_spec", {{"objective", objective}, {"acceptance_criteria", {"done"}}}}}}};
}

// ---- gate rules and decisions -------------------------------------------------------------------

TEST(GovernanceE2e, GateRuleIsCreatedWithItsConfiguration) {
  world w;
  auto rule = gate_rule(w.c(), w.h.project,
                        {{"scope", {{"milestone", "M1"}}},
                         {"conditions", {{"type", "review_gate"}}},
                         {"required_evidence", {{"review", true}}},
                         {"required_reviewer_roles", {"reviewer"}}});
  EXPECT_EQ(str(rule, "name"), "Milestone review");
  EXPECT_EQ(str(rule, "project_id"), w.h.project);
  EXPECT_EQ(rule.at("scope").at("milestone"), json::value("M1"));
  EXPECT_EQ(rule.at("required_reviewer_roles"), (json::array{"reviewer"}));
  EXPECT_EQ(rule.at("is_active"), json::value(true));
  EXPECT_FALSE(str(rule, "created_at").empty());

  auto missing = w.c().post("/v1/gate-rules",
                            json::object{{"project_id", unknown_uuid}, {"name", "x"}});
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(error_code(missing), "PROJECT_NOT_FOUND");
  auto unnamed = w.c().post("/v1/gate-rules", json::object{{"project_id", w.h.project}});
  EXPECT_EQ(unnamed.status, 422) << unnamed.body;
  auto empty = w.c().post("/v1/gate-rules", json::object{{"project_id", w.h.project}, {"name", ""}});
  EXPECT_EQ(empty.status, 422) << empty.body;
}

TEST(GovernanceE2e, GateDecisionIsRecordedListedAndLogged) {
  world w;
  auto gate = id_of(create_task(w.c(), w.h.project, w.h.milestone, "Gate",
                                {{"task_class", "review_gate"}}));
  auto rule = id_of(gate_rule(w.c(), w.h.project));
  auto r = post_decision(w.c(), w.h.project, rule,
                         {{"task_id", gate}, {"phase_id", w.h.phase},
                          {"evidence_refs", {"review://thread/100"}}});
  auto decision = expect_object(r, 201, "decision");
  EXPECT_EQ(str(decision, "outcome"), "approved");
  EXPECT_EQ(str(decision, "task_id"), gate);
  EXPECT_EQ(str(decision, "phase_id"), w.h.phase);
  EXPECT_EQ(decision.at("evidence_refs"), (json::array{"review://thread/100"}));

  // A second decision, on the phase only; lists filter and come newest first.
  auto phase_only = expect_object(
    post_decision(w.c(), w.h.project, rule, {{"phase_id", w.h.phase}, {"outcome", "rejected"}}),
    201, "phase decision");
  auto all = expect_object(w.c().get("/v1/gate-decisions?project_id=" + w.h.project), 200, "list");
  EXPECT_EQ(ids_of(all.at("items")),
            (std::vector<std::string>{id_of(phase_only), id_of(decision)}));
  auto by_task = expect_object(
    w.c().get("/v1/gate-decisions?project_id=" + w.h.project + "&task_id=" + gate), 200, "list");
  EXPECT_EQ(ids_of(by_task.at("items")), std::vector<std::string>{id_of(decision)});
  auto by_phase = expect_object(
    w.c().get("/v1/gate-decisions?project_id=" + w.h.project + "&phase_id=" + w.h.phase), 200,
    "list");
  EXPECT_EQ(by_phase.at("items").as_array().size(), 2u);

  // The decision is an event on the task's timeline.
  auto types = event_types(task_timeline(w.c(), w.h.project, gate));
  EXPECT_NE(std::find(types.begin(), types.end(), "gate_decision_recorded"), types.end());

  auto listing = w.c().get("/v1/gate-decisions?project_id=" + std::string(unknown_uuid));
  EXPECT_EQ(error_code(listing), "PROJECT_NOT_FOUND");
  EXPECT_EQ(w.c().get("/v1/gate-decisions").status, 422);
}

TEST(GovernanceE2e, GateDecisionRefusalsComeInTheReferenceOrder) {
  world w;
  auto task = id_of(create_task(w.c(), w.h.project, w.h.milestone, "Gate",
                                {{"task_class", "merge_gate"}}));
  auto rule = id_of(gate_rule(w.c(), w.h.project));
  auto other = setup_h(w.c(), "Other");
  auto other_task = id_of(create_task(w.c(), other.project, other.milestone, "Theirs"));
  auto other_rule = id_of(gate_rule(w.c(), other.project));
  auto expect = [&](const http_response& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(error_code(r), code) << r.body;
  };
  auto d0 = w.c().get("/v1/admin/digest");
  expect(post_decision(w.c(), unknown_uuid, rule, {{"task_id", task}}), 404, "PROJECT_NOT_FOUND");
  expect(post_decision(w.c(), w.h.project, unknown_uuid, {{"task_id", task}}), 404,
         "GATE_RULE_NOT_FOUND");
  expect(post_decision(w.c(), w.h.project, other_rule, {{"task_id", task}}), 404,
         "GATE_RULE_NOT_FOUND");
  expect(post_decision(w.c(), w.h.project, rule, {{"task_id", unknown_uuid}}), 404,
         "TASK_NOT_FOUND");
  expect(post_decision(w.c(), w.h.project, rule, {{"task_id", other_task}}), 409,
         "PROJECT_MISMATCH");
  expect(post_decision(w.c(), w.h.project, rule, {{"phase_id", unknown_uuid}}), 404,
         "PHASE_NOT_FOUND");
  expect(post_decision(w.c(), w.h.project, rule, {{"phase_id", other.phase}}), 409,
         "PROJECT_MISMATCH");
  expect(post_decision(w.c(), w.h.project, rule, {}), 409, "GATE_SCOPE_REQUIRED");
  auto bad_outcome = post_decision(w.c(), w.h.project, rule,
                                   {{"task_id", task}, {"outcome", "approve"}});
  EXPECT_EQ(bad_outcome.status, 422) << bad_outcome.body;
  EXPECT_EQ(w.c().get("/v1/admin/digest").body, d0.body) << "a refused decision wrote something";
}

TEST(GovernanceE2e, GateTaskNeedsAnApprovingDecisionToIntegrate) {
  world w;
  auto gate = id_of(create_task(w.c(), w.h.project, w.h.milestone, "Review gate",
                                {{"task_class", "review_gate"}}));
  implement(w.c(), w.h.project, gate, "agent-1");
  json::object review{{"reviewed_by", "reviewer-1"}, {"review_evidence_refs", {"review://1"}}};
  auto refused = post_transition(w.c(), w.h.project, gate, "integrated", "lead", review);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(error_code(refused), "GATE_DECISION_REQUIRED");
  auto rule = id_of(gate_rule(w.c(), w.h.project));
  // A rejection, or an approval of the phase only, does not count.
  expect_object(post_decision(w.c(), w.h.project, rule,
                              {{"task_id", gate}, {"outcome", "rejected"}}),
                201, "rejection");
  expect_object(post_decision(w.c(), w.h.project, rule, {{"phase_id", w.h.phase}}), 201, "phase");
  EXPECT_EQ(error_code(post_transition(w.c(), w.h.project, gate, "integrated", "lead", review)),
            "GATE_DECISION_REQUIRED");
  expect_object(post_decision(w.c(), w.h.project, rule,
                              {{"task_id", gate}, {"outcome", "approved_with_risk"}}),
                201, "approval");
  EXPECT_EQ(str(transition(w.c(), w.h.project, gate, "integrated", "lead", review), "state"),
            "integrated");
}

// ---- checkpoints and candidate readiness --------------------------------------------------------

TEST(GovernanceE2e, CheckpointShowsScopeAgeAndCandidateReadiness) {
  world w;
  auto candidate = id_of(create_task(w.c(), w.h.project, w.h.milestone, "Candidate",
                                     {{"task_class", "security"}}));
  auto gate_body = task_body(w.h.project, w.h.milestone, "Gate", {{"task_class", "review_gate"}});
  gate_body["work_spec"].as_object()["candidate_task_ids"] = json::array{candidate, candidate};
  auto gate = id_of(expect_object(w.c().post("/v1/tasks", gate_body), 201, "gate"));

  auto list = expect_object(w.c().get("/v1/gates/checkpoints?project_id=" + w.h.project), 200,
                            "checkpoints");
  EXPECT_EQ(num(list.at("total")), 1);
  EXPECT_EQ(num(list.at("limit")), 50);
  EXPECT_EQ(num(list.at("offset")), 0);
  auto& item = list.at("items").at(0).as_object();
  EXPECT_EQ(str(item, "task_id"), gate);
  EXPECT_EQ(str(item, "gate_type"), "review_gate");
  EXPECT_EQ(str(item, "state"), "ready");
  EXPECT_EQ(item.at("scope").at("phase_id"), json::value(w.h.phase));
  EXPECT_EQ(item.at("scope").at("phase_short_id"), json::value("P1"));
  EXPECT_EQ(item.at("scope").at("milestone_short_id"), json::value("P1.M1"));
  EXPECT_GE(item.at("age_hours").to_number<double>(), 0);
  auto& risk = item.at("risk_summary").as_object();
  EXPECT_EQ(num(risk.at("candidate_total")), 1);  // the duplicate link is skipped
  EXPECT_EQ(num(risk.at("candidate_ready")), 0);
  EXPECT_EQ(num(risk.at("candidate_blocked")), 1);
  EXPECT_EQ(risk.at("blocked_candidate_ids"), (json::array{candidate}));

  // The candidate becomes ready once implemented with an artifact; the graph shows why.
  implement(w.c(), w.h.project, candidate, "agent-1");
  auto graph = get_graph(w.c(), w.h.project);
  for (auto& t : graph.at("tasks").as_array())
    if (t.at("id") == json::value(gate)) {
      auto& readiness = t.at("work_spec").at("candidate_readiness").as_object();
      EXPECT_EQ(readiness.at("status"), json::value("blocked"));
      EXPECT_EQ(readiness.at("source"), json::value("gate_candidate_link"));
      EXPECT_EQ(readiness.at("candidates").at(0).at("state"), json::value("implemented"));
    }
  expect_object(w.c().post("/v1/tasks/" + candidate + "/artifacts",
                           json::object{{"project_id", w.h.project}, {"agent_id", "agent-1"},
                                        {"check_status", "passed"}}),
                201, "artifact");
  list = expect_object(w.c().get("/v1/gates/checkpoints?project_id=" + w.h.project), 200, "again");
  EXPECT_EQ(num(list.at("items").at(0).at("risk_summary").at("candidate_ready")), 1);
  EXPECT_EQ(num(list.at("items").at(0).at("risk_summary").at("candidate_blocked")), 0);

  auto missing = w.c().get("/v1/gates/checkpoints?project_id=not-a-project");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_code(missing), "PROJECT_NOT_FOUND");
  auto bad = w.c().get("/v1/gates/checkpoints?project_id=" + w.h.project +
                       "&gate_type=invalid_gate_type");
  EXPECT_EQ(bad.status, 409);
  EXPECT_EQ(error_code(bad), "INVALID_GATE_TYPE");
  for (std::string paging : {"&limit=1001", "&limit=-1", "&offset=-1"}) {
    auto out_of_range = w.c().get("/v1/gates/checkpoints?project_id=" + w.h.project + paging);
    EXPECT_EQ(out_of_range.status, 422) << paging;
    EXPECT_EQ(error_code(out_of_range), "VALIDATION_ERROR") << paging;
  }
}

TEST(GovernanceE2e, CheckpointsFilterOrderAndPage) {
  world w;
  auto m2 = id_of(create_milestone(w.c(), w.h.project, w.h.phase, "Milestone 2", 1));
  auto review = id_of(create_task(w.c(), w.h.project, w.h.milestone, "Review",
                                  {{"task_class", "review_gate"}, {"priority", 100}}));
  auto merge = id_of(create_task(w.c(), w.h.project, m2, "Merge",
                                 {{"task_class", "merge_gate"}, {"priority", 90}}));
  auto closed = id_of(create_task(w.c(), w.h.project, w.h.milestone, "Closed",
                                  {{"task_class", "review_gate"}, {"priority", 80}}));
  transition(w.c(), w.h.project, closed, "integrated", "lead", {{"force", true}});
  auto items = [&](const std::string& q) {
    auto r = expect_object(w.c().get("/v1/gates/checkpoints?project_id=" + w.h.project + q), 200,
                           "checkpoints " + q);
    return ids_of(r.at("items"), "task_id");
  };
  EXPECT_EQ(items(""), (std::vector<std::string>{merge, review}));
  EXPECT_EQ(items("&gate_type=review_gate"), std::vector<std::string>{review});
  EXPECT_EQ(items("&milestone_id=" + m2), std::vector<std::string>{merge});
  EXPECT_EQ(items("&phase_id=" + w.h.phase), (std::vector<std::string>{merge, review}));
  auto page = expect_object(
    w.c().get("/v1/gates/checkpoints?project_id=" + w.h.project + "&limit=1&offset=1"), 200, "page");
  EXPECT_EQ(num(page.at("total")), 2);
  EXPECT_EQ(ids_of(page.at("items"), "task_id"), std::vector<std::string>{review});
  EXPECT_EQ(items("&include_completed=true"), (std::vector<std::string>{closed, merge, review}));
}

// ---- policy evaluation ----------------------------------------------------------------------------

TEST(GovernanceE2e, PolicyEvaluationCreatesGatesOnceAndTracksReadiness) {
  world w;
  auto& c = w.c();
  auto backlog = id_of(create_milestone(c, w.h.project, w.h.phase, "Backlog", 1));
  auto risk = id_of(create_milestone(c, w.h.project, w.h.phase, "Risk", 2));
  auto complete = id_of(create_milestone(c, w.h.project, w.h.phase, "Complete", 3));
  for (auto name : {"b1", "b2"})
    implement(c, w.h.project, id_of(create_task(c, w.h.project, backlog, name)), "agent-1");
  std::vector<std::string> risky;
  for (auto klass : {"security", "architecture"}) {
    risky.push_back(id_of(create_task(c, w.h.project, risk, klass, {{"task_class", klass}})));
    claim(c, w.h.project, risky.back(), "agent-2", {{"ttl_seconds", long_ttl}});
    transition(c, w.h.project, risky.back(), "in_progress", "agent-2");
  }
  auto done = id_of(create_task(c, w.h.project, complete, "done"));
  transition(c, w.h.project, done, "integrated", "lead", {{"force", true}});

  json::object request{{"project_id", w.h.project},
                       {"actor_id", "policy-engine"},
                       {"policy",
                        {{"implemented_backlog_threshold", 2},
                         {"risk_threshold", 2},
                         {"implemented_age_hours", 1},
                         {"risk_task_classes", {"architecture", "security"}}}}};
  auto first = expect_object(c.post("/v1/gates/evaluate", request), 200, "evaluate");
  std::set<std::string> triggers;
  std::string risk_gate;
  for (auto& g : first.at("created").as_array()) {
    auto trigger = std::string(g.at("work_spec").at("policy_trigger").as_string());
    triggers.insert(trigger);
    EXPECT_EQ(g.at("work_spec").at("generated_by"), json::value("policy-engine"));
    EXPECT_EQ(g.at("state"), json::value("ready"));
    if (trigger == "risk_overlap") {
      risk_gate = std::string(g.at("id").as_string());
      EXPECT_EQ(strings_of(g.at("work_spec").at("candidate_task_ids")), risky);
      EXPECT_EQ(g.at("task_class"), json::value("review_gate"));
    }
  }
  EXPECT_EQ(triggers, (std::set<std::string>{"milestone_completion", "implemented_backlog",
                                             "risk_overlap"}));
  EXPECT_EQ(first.at("evaluated").as_array().size(), 4u);

  auto again = expect_object(c.post("/v1/gates/evaluate", request), 200, "evaluate again");
  EXPECT_TRUE(again.at("created").as_array().empty()) << json::serialize(again);

  // The risk gate's readiness follows its candidates.
  auto readiness = [&] {
    auto graph = get_graph(c, w.h.project);
    for (auto& t : graph.at("tasks").as_array())
      if (t.at("id") == json::value(risk_gate))
        return t.at("work_spec").at("candidate_readiness").as_object();
    return json::object{};
  };
  EXPECT_EQ(readiness().at("status"), json::value("blocked"));
  EXPECT_EQ(num(readiness().at("total_candidates")), 2);
  for (auto& t : risky) {
    transition(c, w.h.project, t, "implemented", "agent-2");
    expect_object(c.post("/v1/tasks/" + t + "/artifacts",
                         json::object{{"project_id", w.h.project}, {"agent_id", "agent-2"},
                                      {"check_status", "passed"}}),
                  201, "artifact");
  }
  EXPECT_EQ(readiness().at("status"), json::value("ready"));
  EXPECT_EQ(num(readiness().at("ready_candidates")), 2);

  auto bad = c.post("/v1/gates/evaluate", json::object{{"project_id", w.h.project},
                                                       {"actor_id", "x"},
                                                       {"policy", {{"risk_threshold", 0}}}});
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(error_code(bad), "POLICY_CONFIG_INVALID");
  auto missing = c.post("/v1/gates/evaluate",
                        json::object{{"project_id", unknown_uuid}, {"actor_id", "x"}});
  EXPECT_EQ(error_code(missing), "PROJECT_NOT_FOUND");
}

// ---- plan changesets ------------------------------------------------------------------------------

TEST(GovernanceE2e, MaterialChangeInvalidatesExactlyTheHeldClaimsAndReservations) {
  world w;
  auto& c = w.c();
  json::object backend{{"capability_tags", {"backend"}}};
  auto x = id_of(create_task(c, w.h.project, w.h.milestone, "X", backend));
  auto y = id_of(create_task(c, w.h.project, w.h.milestone, "Y", backend));
  auto z = id_of(create_task(c, w.h.project, w.h.milestone, "Z", backend));
  auto q = id_of(create_task(c, w.h.project, w.h.milestone, "Q", backend));
  auto claimed = claim(c, w.h.project, x, "agent-a", {{"ttl_seconds", long_ttl}});
  expect_object(post_assign(c, w.h.project, y, "agent-b"), 200, "assign");
  auto z_claim = claim(c, w.h.project, z, "agent-c", {{"ttl_seconds", long_ttl}});
  claim(c, w.h.project, q, "agent-d", {{"ttl_seconds", long_ttl}});

  // X and Y change materially, Z only its priority, Q not at all.
  auto cs = changeset(c, w.h.project, 1, 2,
                      {spec_update(x, "New X"), spec_update(y, "New Y"),
                       json::object{{"op", "reprioritize_task"}, {"task_id", z},
                                    {"payload", {{"priority", 1}}}}});
  EXPECT_EQ(str(cs, "status"), "draft");
  EXPECT_TRUE(cs.at("applied_at").is_null());
  EXPECT_EQ(cs.at("operations").at(2).at("op"), json::value("reprioritize_task"));

  // The dry run says what apply will do, and changes nothing.
  auto digest = get_digest(c);
  auto preview = expect_object(
    c.post("/v1/plans/changesets/" + id_of(cs) + "/validate", json::value(nullptr)), 200,
    "validate");
  EXPECT_EQ(preview.at("valid"), json::value(true));
  EXPECT_EQ(num(preview.at("would_create_plan_version")), 2);
  EXPECT_EQ(strings_of(preview.at("would_invalidate_claim_task_ids")),
            std::vector<std::string>{x});
  EXPECT_EQ(strings_of(preview.at("would_invalidate_reservation_task_ids")),
            std::vector<std::string>{y});
  EXPECT_EQ(get_digest(c), digest) << "validate wrote something";

  auto applied = expect_object(post_apply(c, id_of(cs)), 200, "apply");
  EXPECT_EQ(strings_of(applied.at("invalidated_claim_task_ids")), std::vector<std::string>{x});
  EXPECT_EQ(strings_of(applied.at("invalidated_reservation_task_ids")),
            std::vector<std::string>{y});
  EXPECT_EQ(num(applied.at("plan_version").at("version_number")), 2);
  EXPECT_EQ(applied.at("plan_version").at("change_set_id"), json::value(id_of(cs)));
  EXPECT_EQ(applied.at("plan_version").at("summary"), json::value("Applied changeset"));
  EXPECT_EQ(applied.at("changeset").at("status"), json::value("applied"));
  EXPECT_FALSE(applied.at("changeset").at("applied_at").is_null());

  // The invalidations are events on the tasks' own streams.
  auto x_types = event_types(task_timeline(c, w.h.project, x));
  EXPECT_NE(std::find(x_types.begin(), x_types.end(), "lease_invalidated"), x_types.end());
  auto y_types = event_types(task_timeline(c, w.h.project, y));
  EXPECT_NE(std::find(y_types.begin(), y_types.end(), "reservation_invalidated"), y_types.end());
  EXPECT_EQ(str(get_task(c, x), "state"), "ready");
  EXPECT_EQ(str(get_task(c, y), "state"), "ready");
  EXPECT_EQ(str(get_task(c, z), "state"), "claimed");
  EXPECT_EQ(num(get_task(c, z).at("priority")), 1);
  EXPECT_EQ(get_task(c, x).at("work_spec").at("objective"), json::value("New X"));

  // agent-a's next heartbeat names the changeset; agent-c's lease lives on at version 2.
  auto hb = post_heartbeat(c, w.h.project, x, "agent-a", lease_token(claimed));
  EXPECT_EQ(hb.status, 409) << hb.body;
  EXPECT_EQ(error_code(hb), "LEASE_INVALIDATED");
  EXPECT_EQ(details_of(hb).at("changeset_id"), json::value(id_of(cs)));
  EXPECT_EQ(num(details_of(hb).at("plan_version")), 2);
  auto z_hb = post_heartbeat(c, w.h.project, z, "agent-c", lease_token(z_claim),
                             {{"seen_plan_version", 2}});
  EXPECT_EQ(z_hb.status, 200) << z_hb.body;
  auto old_hb = post_heartbeat(c, w.h.project, z, "agent-c", lease_token(z_claim),
                               {{"seen_plan_version", 1}});
  EXPECT_EQ(error_code(old_hb), "PLAN_STALE");

  // Both freed tasks are in the ready queue again, for anyone with the capability.
  auto ready = expect_object(
    c.get("/v1/tasks/ready?project_id=" + w.h.project + "&agent_id=agent-a&capabilities=backend"),
    200, "ready");
  auto ready_ids = ids_of(ready.at("items"));
  EXPECT_NE(std::find(ready_ids.begin(), ready_ids.end(), x), ready_ids.end());
  EXPECT_NE(std::find(ready_ids.begin(), ready_ids.end(), y), ready_ids.end());

  // The plan's history.
  auto plan = current_plan(c, w.h.project);
  EXPECT_EQ(num(plan.at("current_version_number")), 2);
  EXPECT_EQ(num(plan.at("plan_version").at("version_number")), 2);
  ASSERT_EQ(plan.at("history").as_array().size(), 2u);
  EXPECT_EQ(plan.at("history").at(0).at("summary"), json::value("Initial plan"));
  EXPECT_TRUE(plan.at("history").at(0).at("change_set_id").is_null());

  // Replay reproduces the live digest: offline, and through a restart.
  auto live = get_digest(c);
  ASSERT_EQ(w.s.server.stop(), 0) << w.s.server.output();
  auto rebuilt = run_tool_json({"replay", "rebuild", "--data", w.s.data.str()});
  EXPECT_EQ(rebuilt.at("digest"), live.at("digest"));
  server_process again(w.s.data.str());
  auto client = again.client();
  EXPECT_EQ(get_digest(client), live);
  // A restarted actor still knows why the lease ended.
  auto later = post_heartbeat(client, w.h.project, x, "agent-a", lease_token(claimed));
  EXPECT_EQ(error_code(later), "LEASE_INVALIDATED") << later.body;
}

TEST(GovernanceE2e, StaleBaseIsRefusedUnlessRebaseIsAllowed) {
  world w;
  auto& c = w.c();
  auto t = id_of(create_task(c, w.h.project, w.h.milestone, "T"));
  auto first = changeset(c, w.h.project, 1, 2,
                         {json::object{{"op", "reprioritize_task"}, {"task_id", t},
                                       {"payload", {{"priority", 5}}}}});
  auto second = changeset(c, w.h.project, 1, 2,
                          {json::object{{"op", "update_task"}, {"task_id", t},
                                        {"payload", {{"title", "Renamed"}}}}});
  expect_object(post_apply(c, id_of(first)), 200, "apply first");
  auto stale = post_apply(c, id_of(second), json::object{});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(error_code(stale), "PLAN_STALE");
  EXPECT_EQ(stale.json().at("error").at("retryable"), json::value(true));
  EXPECT_EQ(num(details_of(stale).at("current_plan_version")), 2);
  auto preview = expect_object(
    c.post("/v1/plans/changesets/" + id_of(second) + "/validate", json::object{}), 200, "dry");
  EXPECT_EQ(preview.at("valid"), json::value(false));
  EXPECT_EQ(preview.at("error").at("code"), json::value("PLAN_STALE"));
  // Re-applying the applied one is stale too (its base is no longer current).
  EXPECT_EQ(error_code(post_apply(c, id_of(first))), "PLAN_STALE");

  auto rebased = expect_object(post_apply(c, id_of(second), json::object{{"allow_rebase", true}}),
                               200, "rebase");
  EXPECT_EQ(num(rebased.at("plan_version").at("version_number")), 3);
  EXPECT_EQ(rebased.at("rebased"), json::value(true));
  EXPECT_EQ(str(get_task(c, t), "title"), "Renamed");
  EXPECT_TRUE(rebased.at("invalidated_claim_task_ids").as_array().empty());
  EXPECT_EQ(num(current_plan(c, w.h.project).at("current_version_number")), 3);
}

TEST(GovernanceE2e, ChangesetRefusalsChangeNothing) {
  world w;
  auto& c = w.c();
  auto t = id_of(create_task(c, w.h.project, w.h.milestone, "T"));
  auto missing = post_apply(c, unknown_uuid);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(error_code(missing), "CHANGESET_NOT_FOUND");
  EXPECT_EQ(error_code(c.post(std::string("/v1/plans/changesets/") + unknown_uuid + "/validate",
                              json::object{})),
            "CHANGESET_NOT_FOUND");
  EXPECT_EQ(error_code(post_changeset(c, unknown_uuid, 1, 2, {})), "PROJECT_NOT_FOUND");
  EXPECT_EQ(post_changeset(c, w.h.project, 1, 2, {json::object{{"task_id", t}}}).status, 422);
  EXPECT_EQ(error_code(c.get("/v1/plans/current?project_id=" + std::string(unknown_uuid))),
            "PROJECT_NOT_FOUND");

  // An update of a task that is not in the project fails the whole changeset: the first
  // operation (valid) is not applied either.
  auto other = setup_h(c, "Other");
  auto theirs = id_of(create_task(c, other.project, other.milestone, "Theirs"));
  auto cs = changeset(c, w.h.project, 1, 2,
                      {json::object{{"op", "update_task"}, {"task_id", t},
                                    {"payload", {{"title", "Changed"}}}},
                       json::object{{"op", "update_task"}, {"task_id", theirs},
                                    {"payload", {{"title", "Hijacked"}}}}});
  auto digest = get_digest(c);
  auto refused = post_apply(c, id_of(cs));
  EXPECT_EQ(refused.status, 404) << refused.body;
  EXPECT_EQ(error_code(refused), "CHANGESET_NOT_FOUND");
  EXPECT_EQ(num(details_of(refused).at("operation_index")), 1);
  auto bad_class = changeset(c, w.h.project, 1, 2,
                             {json::object{{"op", "update_task"}, {"task_id", t},
                                           {"payload", {{"task_class", "nonsense"}}}}});
  auto digest2 = get_digest(c);
  EXPECT_EQ(post_apply(c, id_of(bad_class)).status, 422);
  EXPECT_EQ(get_digest(c), digest2) << "a refused apply wrote something";
  EXPECT_NE(digest, digest2);  // only the second changeset's creation
  EXPECT_EQ(str(get_task(c, t), "title"), "T");
  EXPECT_EQ(str(get_task(c, theirs), "title"), "Theirs");
  EXPECT_EQ(num(current_plan(c, w.h.project).at("current_version_number")), 1);
}

// ---- file-touch conflicts and scope drift ---------------------------------------------------------

TEST(GovernanceE2e, TwoAgentsAreSteeredAwayFromEachOthersFiles) {
  world w;
  auto& c = w.c();
  auto touching = [&](const char* title, json::array touches, int64_t priority) {
    return id_of(create_task(c, w.h.project, w.h.milestone, title,
                             {{"expected_touches", std::move(touches)}, {"priority", priority}}));
  };
  auto api = touching("API", {"src/api/**"}, 10);
  auto handlers = touching("Handlers", {"src/api/handlers/*.cpp", "include/api.hpp"}, 20);
  auto docs = touching("Docs", {"docs/**"}, 30);
  claim(c, w.h.project, api, "agent-1", {{"ttl_seconds", long_ttl}});

  auto ready_for = [&](const std::string& agent, const std::string& extra) {
    return expect_object(c.get("/v1/tasks/ready?project_id=" + w.h.project + "&agent_id=" +
                                agent + extra),
                         200, "ready");
  };
  auto steered = ready_for("agent-2", "&explain=true");
  EXPECT_EQ(ids_of(steered.at("items")), std::vector<std::string>{docs});
  ASSERT_EQ(steered.at("omitted").as_array().size(), 1u);
  auto& omitted = steered.at("omitted").at(0).as_object();
  EXPECT_EQ(str(omitted, "task_id"), handlers);
  EXPECT_EQ(str(omitted, "reason"), "touch_conflict");
  auto& conflict = omitted.at("conflicts").at(0).as_object();
  EXPECT_EQ(str(conflict, "task_id"), api);
  EXPECT_EQ(str(conflict, "held_by"), "agent-1");
  EXPECT_EQ(conflict.at("overlapping").at(0).at("mine"), json::value("src/api/handlers/*.cpp"));
  EXPECT_EQ(conflict.at("overlapping").at(0).at("theirs"), json::value("src/api/**"));
  EXPECT_FALSE(ready_for("agent-2", "").contains("omitted"));
  EXPECT_EQ(ids_of(ready_for("agent-2", "&include_conflicting=true").at("items")),
            (std::vector<std::string>{handlers, docs}));

  // The holder itself is not steered away from its own files.
  auto own = ready_for("agent-1", "&explain=true");
  EXPECT_EQ(ids_of(own.at("items")), (std::vector<std::string>{handlers, docs}));

  // Claiming the overlapping task is refused, naming the other task and the paths.
  auto refused = post_claim(c, w.h.project, handlers, "agent-2");
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(error_code(refused), "TOUCH_CONFLICT");
  EXPECT_NE(refused.body.find("P1.M1.T1"), std::string::npos) << refused.body;
  EXPECT_EQ(details_of(refused).at("conflicts").at(0).at("task_id"), json::value(api));

  // claim-next steers agent-2 to the docs instead.
  auto next = expect_object(c.post("/v1/tasks/claim-next",
                                   json::object{{"project_id", w.h.project},
                                                {"agent_id", "agent-2"},
                                                {"ttl_seconds", long_ttl}}),
                            200, "claim-next");
  EXPECT_EQ(next.at("task").at("id"), json::value(docs));

  // Nothing else is left for a third agent, and the refusal says why.
  auto none = c.post("/v1/tasks/claim-next",
                     json::object{{"project_id", w.h.project}, {"agent_id", "agent-4"}});
  EXPECT_EQ(error_code(none), "NOTHING_CLAIMABLE") << none.body;
  bool explained = false;
  auto none_details = details_of(none);
  for (auto& cand : none_details.at("candidates").as_array())
    if (cand.at("task_id") == json::value(handlers) &&
        cand.at("reason") == json::value("touch_conflict"))
      explained = true;
  EXPECT_TRUE(explained) << none.body;

  // With allow_conflict the claim goes through.
  auto forced = claim(c, w.h.project, handlers, "agent-3",
                      {{"ttl_seconds", long_ttl}, {"allow_conflict", true}});
  EXPECT_EQ(forced.at("task").at("state"), json::value("claimed"));

  // Once agent-1 is done with the API, nothing conflicts with it any more.
  transition(c, w.h.project, api, "in_progress", "agent-1");
  transition(c, w.h.project, api, "implemented", "agent-1");
  auto t4 = touching("More API", {"src/api/v2/**"}, 40);
  auto after = ready_for("agent-2", "&explain=true");
  // Handlers (held by agent-3) still overlaps src/api/v2/**? No: the patterns are disjoint.
  EXPECT_EQ(ids_of(after.at("items")), std::vector<std::string>{t4});
  EXPECT_TRUE(after.at("omitted").as_array().empty());
}

// Conflicting tasks never use up claim-next's window of candidates, however many come first.
// Two overlapping tasks claimed at the same instant by two agents: the projections show a claim
// only once it is durable, so without the registry's claims in flight both would get through.
TEST(GovernanceE2e, RacingClaimsOfOverlappingTasksNeverBothSucceed) {
  world w;
  auto& c = w.c();
  int both = 0, one = 0;
  for (int round = 0; round < 25; ++round) {
    auto dir = "race/r" + std::to_string(round);
    auto wide = id_of(create_task(c, w.h.project, w.h.milestone, "Wide",
                                  {{"expected_touches", json::array{dir + "/**"}}}));
    auto narrow = id_of(create_task(c, w.h.project, w.h.milestone, "Narrow",
                                    {{"expected_touches", json::array{dir + "/a.cpp"}}}));
    std::latch start(2);
    int status[2] = {0, 0};
    auto racer = [&](int i, const std::string& task, const char* agent) {
      auto client = w.s.server.client();
      start.arrive_and_wait();
      status[i] = post_claim(client, w.h.project, task, agent, {{"ttl_seconds", long_ttl}}).status;
    };
    std::thread a(racer, 0, wide, "agent-a"), b(racer, 1, narrow, "agent-b");
    a.join();
    b.join();
    for (int s : status)
      EXPECT_TRUE(s == 200 || s == 409) << s;
    both += status[0] == 200 && status[1] == 200;
    one += (status[0] == 200) != (status[1] == 200);
  }
  EXPECT_EQ(both, 0);
  EXPECT_EQ(one, 25);
}

TEST(GovernanceE2e, ClaimNextLooksPastAnyNumberOfConflictingTasks) {
  world w;
  auto& c = w.c();
  auto held = id_of(create_task(c, w.h.project, w.h.milestone, "Held",
                                {{"expected_touches", {"src/**"}}, {"priority", 0}}));
  claim(c, w.h.project, held, "agent-1", {{"ttl_seconds", long_ttl}});
  for (int i = 0; i < 20; ++i)
    create_task(c, w.h.project, w.h.milestone, "Conflicting " + std::to_string(i),
                {{"expected_touches", {"src/file" + std::to_string(i) + ".cpp"}},
                 {"priority", 1}});
  auto free = id_of(create_task(c, w.h.project, w.h.milestone, "Free",
                                {{"expected_touches", {"docs/**"}}, {"priority", 50}}));
  auto next = expect_object(c.post("/v1/tasks/claim-next",
                                   json::object{{"project_id", w.h.project},
                                                {"agent_id", "agent-2"},
                                                {"ttl_seconds", long_ttl}}),
                            200, "claim-next");
  EXPECT_EQ(next.at("task").at("id"), json::value(free));
  // With allow_conflict, the most urgent task is taken despite the overlap.
  auto forced = expect_object(c.post("/v1/tasks/claim-next",
                                     json::object{{"project_id", w.h.project},
                                                  {"agent_id", "agent-3"},
                                                  {"ttl_seconds", long_ttl},
                                                  {"allow_conflict", true}}),
                              200, "claim-next allowing conflicts");
  EXPECT_EQ(num(forced.at("task").at("priority")), 1);
}

TEST(GovernanceE2e, ScopeDriftIsReportedLoggedAndCanRequireReview) {
  world w;
  auto& c = w.c();
  auto t = id_of(create_task(c, w.h.project, w.h.milestone, "Scoped",
                             {{"expected_touches", {"src/api/**", "README.md"}}}));
  claim(c, w.h.project, t, "agent-1", {{"ttl_seconds", long_ttl}});
  auto inside = expect_object(
    c.post("/v1/tasks/" + t + "/artifacts",
           json::object{{"project_id", w.h.project}, {"agent_id", "agent-1"},
                        {"touched_files", {"src/api/a.cpp", "README.md"}}}),
    201, "artifact inside");
  EXPECT_EQ(inside.at("scope_drift").at("detected"), json::value(false));
  auto drifted = expect_object(
    c.post("/v1/tasks/" + t + "/artifacts",
           json::object{{"project_id", w.h.project}, {"agent_id", "agent-1"},
                        {"touched_files", {"src/api/b.cpp", "src/db/schema.sql", "Makefile"}}}),
    201, "artifact outside");
  EXPECT_EQ(drifted.at("scope_drift").at("detected"), json::value(true));
  EXPECT_EQ(drifted.at("scope_drift").at("files_outside_expected"),
            (json::array{"src/db/schema.sql", "Makefile"}));
  auto types = event_types(task_timeline(c, w.h.project, t));
  EXPECT_EQ(std::count(types.begin(), types.end(), "scope_drift_detected"), 1);

  // A policy evaluation asks for a review of the drifted task.
  auto eval = expect_object(c.post("/v1/gates/evaluate",
                                   json::object{{"project_id", w.h.project},
                                                {"actor_id", "policy-engine"}}),
                            200, "evaluate");
  ASSERT_EQ(eval.at("created").as_array().size(), 1u) << json::serialize(eval);
  auto& gate = eval.at("created").at(0).as_object();
  EXPECT_EQ(gate.at("work_spec").at("policy_trigger"), json::value("scope_drift"));
  EXPECT_EQ(gate.at("work_spec").at("candidate_task_ids"), (json::array{t}));
  EXPECT_EQ(gate.at("task_class"), json::value("review_gate"));
  auto off = expect_object(c.post("/v1/gates/evaluate",
                                  json::object{{"project_id", w.h.project},
                                               {"actor_id", "policy-engine"},
                                               {"policy", {{"scope_drift_review", false}}}}),
                           200, "evaluate without drift review");
  EXPECT_TRUE(off.at("created").as_array().empty());
}

TEST(GovernanceE2e, ExpectedTouchesChangedByAPlanMoveTheConflicts) {
  world w;
  auto& c = w.c();
  auto a = id_of(create_task(c, w.h.project, w.h.milestone, "A",
                             {{"expected_touches", {"lib/**"}}}));
  auto b = id_of(create_task(c, w.h.project, w.h.milestone, "B",
                             {{"expected_touches", {"app/**"}}}));
  claim(c, w.h.project, a, "agent-1", {{"ttl_seconds", long_ttl}});
  auto b_claim = claim(c, w.h.project, b, "agent-2", {{"ttl_seconds", long_ttl}});
  transition(c, w.h.project, b, "in_progress", "agent-2");
  auto before = expect_object(
    post_heartbeat(c, w.h.project, b, "agent-2", lease_token(b_claim)), 200, "heartbeat");
  EXPECT_EQ(before.at("stale"), json::value(false));
  // B (in progress, so its lease lives on) now expects to touch lib/ too.
  auto cs = changeset(c, w.h.project, 1, 2,
                      {json::object{{"op", "update_task"}, {"task_id", b},
                                    {"payload", {{"expected_touches", {"lib/x/**"}}}}}});
  auto applied = expect_object(post_apply(c, id_of(cs)), 200, "apply");
  EXPECT_TRUE(applied.at("invalidated_claim_task_ids").as_array().empty());
  EXPECT_EQ(strings_of(applied.at("material_task_ids")), std::vector<std::string>{b});
  EXPECT_EQ(get_task(c, b).at("expected_touches"), (json::array{"lib/x/**"}));
  // The in-progress agent keeps its lease, and its heartbeat says the task changed under it.
  auto after = expect_object(
    post_heartbeat(c, w.h.project, b, "agent-2", lease_token(b_claim)), 200, "heartbeat");
  EXPECT_EQ(after.at("stale"), json::value(true));
  EXPECT_EQ(after.at("stale_action"), json::value("refresh"));
  EXPECT_EQ(num(after.at("plan_version")), 2);
  auto c3 = id_of(create_task(c, w.h.project, w.h.milestone, "C",
                              {{"expected_touches", {"lib/x/y.cpp"}}}));
  auto refused = post_claim(c, w.h.project, c3, "agent-3");
  EXPECT_EQ(error_code(refused), "TOUCH_CONFLICT") << refused.body;
  EXPECT_EQ(details_of(refused).at("conflicts").as_array().size(), 2u) << refused.body;
}

// ---- keys: a project's changesets are its own ------------------------------------------------------

// A client sending the raw key of a new key of `project` with `roles`.
http_client keyed(const server_process& server, http_client& admin, const std::string& project,
                  const std::string& name, json::array roles) {
  auto created = expect_object(admin.post("/v1/api-keys", json::object{{"project_id", project},
                                                                       {"name", name},
                                                                       {"role_scopes", roles},
                                                                       {"created_by", "admin"}}),
                               201, "create key " + name);
  http_client c(server.port());
  c.default_headers({{"Authorization", "Bearer " + str(created, "raw_key")}});
  return c;
}

TEST(GovernanceE2e, ProjectKeysSeeOnlyTheirOwnChangesetsAndActAsThemselves) {
  temp_dir data;
  server_process server(data.str(), {}, auth_setting::required);
  auto admin = server.client();
  auto a = setup_h(admin, "A");
  auto b = setup_h(admin, "B");
  auto ta = id_of(create_task(admin, a.project, a.milestone, "TA"));
  auto tb = id_of(create_task(admin, b.project, b.milestone, "TB"));
  auto cs_b = changeset(admin, b.project, 1, 2,
                        {json::object{{"op", "update_task"}, {"task_id", tb},
                                      {"payload", {{"title", "x"}}}}});
  auto planner = keyed(server, admin, a.project, "planner-a", {"planner"});
  auto agent = keyed(server, admin, a.project, "agent-a", {"agent"});
  auto reviewer = keyed(server, admin, a.project, "reviewer-a", {"reviewer"});

  // Another project's changeset is not found, by apply and by validate alike.
  auto foreign = post_apply(planner, id_of(cs_b));
  EXPECT_EQ(foreign.status, 404) << foreign.body;
  EXPECT_EQ(error_code(foreign), "CHANGESET_NOT_FOUND");
  EXPECT_EQ(error_code(planner.post("/v1/plans/changesets/" + id_of(cs_b) + "/validate",
                                    json::object{})),
            "CHANGESET_NOT_FOUND");
  EXPECT_EQ(str(get_task(admin, tb), "title"), "TB");

  // Its own: created by the planner under its own name, applied by it; an agent may not.
  auto mine = post_changeset(planner, a.project, 1, 2,
                             {json::object{{"op", "update_task"}, {"task_id", ta},
                                           {"payload", {{"title", "y"}}}}});
  EXPECT_EQ(error_code(mine), "IDENTITY_MISMATCH") << mine.body;  // created_by "planner"
  auto own = expect_object(
    planner.post("/v1/plans/changesets", json::object{{"project_id", a.project},
                                                       {"base_plan_version", 1},
                                                       {"target_plan_version", 2},
                                                       {"operations", json::array{}},
                                                       {"created_by", "planner-a"}}),
    201, "own changeset");
  EXPECT_EQ(error_code(post_apply(agent, id_of(own))), "INSUFFICIENT_ROLE");
  EXPECT_EQ(post_apply(planner, id_of(own)).status, 200);

  // Gate decisions are the reviewer's, under its own name, in its own project.
  auto rule = id_of(gate_rule(admin, a.project));
  EXPECT_EQ(error_code(post_decision(reviewer, a.project, rule, {{"task_id", ta}})),
            "IDENTITY_MISMATCH");  // actor_id "reviewer-1"
  EXPECT_EQ(post_decision(reviewer, a.project, rule,
                          {{"task_id", ta}, {"actor_id", "reviewer-a"}}).status,
            201);
  EXPECT_EQ(error_code(post_decision(reviewer, b.project, rule,
                                     {{"task_id", tb}, {"actor_id", "reviewer-a"}})),
            "PROJECT_SCOPE_VIOLATION");
  EXPECT_EQ(error_code(post_decision(agent, a.project, rule,
                                     {{"task_id", ta}, {"actor_id", "agent-a"}})),
            "INSUFFICIENT_ROLE");
}

}  // namespace
}  // namespace tascade::test
