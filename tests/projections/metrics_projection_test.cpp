// The metrics projection over a known history with controlled event times: every summary field
// checked against values worked out by hand below, then replay and checkpoint equality.

#include "events/codec/payload_codec.hpp"
#include "projections/read_model.hpp"
#include "projections/read_model_checkpoint.hpp"
#include "tascade/errc.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cmath>

namespace tascade {
namespace {

namespace json = boost::json;

constexpr int64_t t0 = 1769904000LL * 1'000'000;  // 2026-02-01T00:00:00Z
int64_t at_hour(double h) { return t0 + int64_t(h * 3600e6); }

struct MetricsProjectionTest : ::testing::Test {
  read_model model;
  std::vector<event_record> fed;
  global_seq seq = 0;
  project_id project = project_id::random();
  phase_id phase = phase_id::random();
  milestone_id milestone = milestone_id::random();

  void feed(const events::event& ev, double hour) {
    event_record rec;
    rec.seq = ++seq;
    rec.type = std::string(events::type_of(ev));
    rec.schema = events::schema_of(ev);
    rec.time = timestamp{at_hour(hour)};
    rec.payload = events::encode_payload(ev);
    model.apply(rec);
    fed.push_back(rec);
  }
  task_id task(double hour) {
    events::task_created t;
    t.id = task_id::random();
    t.project = project;
    t.phase = phase;
    t.milestone = milestone;
    t.short_id = "P1.M1.T" + std::to_string(seq);
    t.title = "task " + std::to_string(seq);
    feed(t, hour);
    return t.id;
  }
  void claim(const task_id& id, double hour) {
    events::task_claimed c;
    c.task = id;
    c.project = project;
    c.lease = uuid::random();
    c.agent = "agent-1";
    c.fencing = 1;
    feed(c, hour);
  }
  void move(const task_id& id, task_state from, task_state to, double hour) {
    events::task_state_transitioned e;
    e.task = id;
    e.project = project;
    e.from = from;
    e.to = to;
    feed(e, hour);
  }
  uuid attempt(const task_id& id, double hour) {
    events::integration_attempt_enqueued e;
    e.id = uuid::random();
    e.task = id;
    e.project = project;
    feed(e, hour);
    return e.id;
  }
  void result(const uuid& attempt_id, const task_id& id, std::string outcome, double hour) {
    feed(events::integration_result_recorded{attempt_id, id, project, std::move(outcome), {}},
         hour);
  }

  // The history (hours after t0), worked through in the test below:
  // A: claimed 1, in_progress 2, implemented 6, integrated 8              (cycle 4 h, lead 8 h)
  // B: claimed 2, in_progress 3, implemented 11, attempts conflict 12 and success 14,
  //    integrated 14                                                     (cycle 8 h, lead 14 h)
  // C: claimed 4, in_progress 4, blocked 5, in_progress 7                (block of 2 h)
  // D: created 1, ready
  // E: created 1, claimed 9, in_progress 9, implemented 10, attempt failed_checks 13
  // F: created 2, blocked 3
  void history() {
    using s = task_state;
    feed(events::project_created{project, "Metrics", plan_version_id::random()}, 0);
    feed(events::phase_created{phase, project, "P", 0, 1, "P1"}, 0);
    feed(events::milestone_created{milestone, project, phase, "M", 0, 1, "P1.M1"}, 0);
    auto a = task(0), b = task(0), c = task(0);
    auto d = task(1), e = task(1);
    claim(a, 1);
    (void)d;
    auto f = task(2);
    move(a, s::claimed, s::in_progress, 2);
    claim(b, 2);
    move(b, s::claimed, s::in_progress, 3);
    move(f, s::ready, s::blocked, 3);
    claim(c, 4);
    move(c, s::claimed, s::in_progress, 4);
    move(c, s::in_progress, s::blocked, 5);
    move(a, s::in_progress, s::implemented, 6);
    move(c, s::blocked, s::in_progress, 7);
    move(a, s::implemented, s::integrated, 8);
    claim(e, 9);
    move(e, s::claimed, s::in_progress, 9);
    move(e, s::in_progress, s::implemented, 10);
    auto e1 = attempt(e, 10);
    move(b, s::in_progress, s::implemented, 11);
    auto b1 = attempt(b, 11);
    result(b1, b, "conflict", 12);
    auto b2 = attempt(b, 12);
    result(e1, e, "failed_checks", 13);
    result(b2, b, "success", 14);
    move(b, s::implemented, s::integrated, 14);
  }

  json::object summary(double hour) {
    return model.metrics().summary(*model.metrics().project(project), at_hour(hour));
  }
};

double at(const json::object& o, std::initializer_list<const char*> path) {
  const json::value* v = nullptr;
  const json::object* cur = &o;
  for (auto* key : path) {
    v = &cur->at(key);
    if (v->is_object())
      cur = &v->get_object();
  }
  return v->to_number<double>();
}

TEST_F(MetricsProjectionTest, EverySummaryFieldMatchesTheHandComputedHistory) {
  history();
  auto m = summary(20);

  // Cycle times 1, 4, 8 h: mean 13/3 h, population stddev sqrt(74/9) h.
  double cts = 1 - std::sqrt(74.0 / 9) / (13.0 / 3);
  // SR 0.5 (2 of 6 integrated), BRR 1.0 (the one resolved block took 2 h).
  double dpi = 0.40 * 0.5 + 0.35 * cts + 0.25 * 1.0;
  auto& ns = m.at("north_star").as_object();
  EXPECT_NEAR(at(ns, {"delivery_predictability_index", "value"}),
              std::nearbyint(dpi * 1e4) / 100, 1e-9);
  EXPECT_EQ(ns.at("delivery_predictability_index").at("trend").as_string(), "stable");
  EXPECT_NEAR(at(ns, {"delivery_predictability_index", "components", "cycle_time_stability"}),
              cts, 1e-6);
  EXPECT_EQ(at(ns, {"delivery_predictability_index", "components", "schedule_reliability"}), 0.5);
  EXPECT_EQ(at(ns, {"delivery_predictability_index", "components", "blocker_resolution_rate"}),
            1.0);
  // Hours by group at hour 20: active 29 (claimed + in progress), waiting 50 (ready 35 +
  // implemented 15), blocked 19 (C 2 + F 17): FES 29/98.
  EXPECT_EQ(at(ns, {"flow_efficiency_score", "value"}), 29.59);
  EXPECT_EQ(at(ns, {"flow_efficiency_score", "active_time_pct"}), 29.59);
  EXPECT_EQ(at(ns, {"flow_efficiency_score", "waiting_time_pct"}), 51.02);
  EXPECT_EQ(at(ns, {"flow_efficiency_score", "blocked_time_pct"}), 19.39);
  // Three finished attempts, one success; B recovered 2 h after its conflict:
  // IRS = 0.6 · 1/3 + 0.4 · (1 − 2/24).
  EXPECT_EQ(at(ns, {"integration_reliability_score", "value"}), 56.67);
  EXPECT_EQ(at(ns, {"integration_reliability_score", "success_rate"}), 0.3333);
  EXPECT_EQ(at(ns, {"integration_reliability_score", "avg_recovery_minutes"}), 120.0);

  auto& op = m.at("operational").as_object();
  EXPECT_EQ(at(op, {"throughput", "tasks_integrated_week"}), 2);
  EXPECT_EQ(at(op, {"throughput", "tasks_integrated_total"}), 2);
  EXPECT_EQ(op.at("throughput").at("tasks_by_milestone").at(milestone.str()).as_int64(), 2);
  // Cycle minutes 60, 240, 480: p50 240, p90 240 + 0.8·240, p95 240 + 0.9·240.
  EXPECT_EQ(at(op, {"cycle_time", "p50_minutes"}), 240.0);
  EXPECT_EQ(at(op, {"cycle_time", "p90_minutes"}), 432.0);
  EXPECT_EQ(at(op, {"cycle_time", "p95_minutes"}), 456.0);
  EXPECT_EQ(at(op, {"cycle_time", "sample_size"}), 3);
  // Lead times 8 h and 14 h.
  EXPECT_EQ(at(op, {"lead_time", "p50_hours"}), 11.0);
  EXPECT_EQ(at(op, {"lead_time", "p90_hours"}), 13.4);
  // WIP: C (since 4), E (since 9), F (since 3): ages 16, 11, 17 h.
  EXPECT_EQ(at(op, {"wip", "total_count"}), 3);
  EXPECT_EQ(at(op, {"wip", "avg_age_hours"}), 14.67);
  EXPECT_EQ(at(op, {"wip", "aging_buckets", "lt_24h"}), 3);
  EXPECT_EQ(at(op, {"wip", "aging_buckets", "24h_to_72h"}), 0);
  EXPECT_DOUBLE_EQ(at(op, {"blocked", "ratio"}), 1.0 / 3);
  EXPECT_EQ(at(op, {"blocked", "count"}), 1);
  EXPECT_EQ(at(op, {"blocked", "avg_blocked_hours"}), 17.0);
  EXPECT_EQ(at(op, {"backlog", "implemented_not_integrated"}), 1);
  EXPECT_EQ(at(op, {"backlog", "avg_age_hours"}), 10.0);
  EXPECT_EQ(at(op, {"integration_outcomes", "success"}), 1);
  EXPECT_EQ(at(op, {"integration_outcomes", "conflict"}), 1);
  EXPECT_EQ(at(op, {"integration_outcomes", "failed_checks"}), 1);
  EXPECT_EQ(at(op, {"integration_outcomes", "queued"}), 0);
  EXPECT_EQ(at(op, {"integration_outcomes", "success_retry"}), 1);
  EXPECT_EQ(at(op, {"integration_outcomes", "avg_retry_to_success_minutes"}), 120.0);
  auto& dist = op.at("state_distribution").as_object();
  EXPECT_EQ(json::serialize(dist.at("by_state")),
            R"({"ready":1,"in_progress":1,"implemented":1,"integrated":2,"blocked":1})");
  EXPECT_EQ(dist.at("wip_count").as_int64(), 3);
  // Stage hours: queue 35, development 29, blocked 19, integration 15 (of 98): no stage > 40 %.
  auto& neck = m.at("actionability").at("bottleneck_contribution").as_object();
  EXPECT_DOUBLE_EQ(neck.at("contributions").at("queue").as_double(), 35.0 / 98);
  EXPECT_DOUBLE_EQ(neck.at("contributions").at("integration").as_double(), 15.0 / 98);
  EXPECT_TRUE(neck.at("primary").is_null());

  // Ages move with the query time: at hour 44 the WIP tasks are 40, 35, 41 h old.
  auto later = summary(44);
  EXPECT_EQ(at(later.at("operational").as_object(), {"wip", "aging_buckets", "24h_to_72h"}), 3);
}

TEST_F(MetricsProjectionTest, TrendsComeFromEventTimesAndReadingsFeedAlerts) {
  history();
  auto& p = *model.metrics().project(project);
  // Hours 0..13 are closed: hour 8's point shows one integrated task, hour 13's WIP of C, E, F
  // and B. Hour 14 is open: it is computed as of its last event.
  ASSERT_TRUE(p.hourly.count(at_hour(8)));
  EXPECT_EQ(p.hourly.at(at_hour(8))[3], 1.0);  // throughput
  EXPECT_EQ(p.hourly.at(at_hour(13))[5], 4.0);  // wip
  EXPECT_FALSE(p.hourly.count(at_hour(14)));
  EXPECT_EQ(model.metrics().trend_values(p, p.last_event)[3], 2.0);
  EXPECT_TRUE(p.daily.empty());
  auto readings = model.metrics().readings(p, at_hour(20));
  std::map<std::string, double> by_key(readings.begin(), readings.end());
  EXPECT_EQ(by_key.at("ini_backlog"), 1.0);
  EXPECT_DOUBLE_EQ(by_key.at("blocked_ratio"), 1.0 / 3);
  EXPECT_NEAR(by_key.at("lead_time_p90"), 13.4, 1e-9);
  EXPECT_TRUE(by_key.count("DPI") && by_key.count("FES") && by_key.count("IRS"));
}

TEST_F(MetricsProjectionTest, ANewDayKeepsYesterdaysSummary) {
  history();
  move(task_id{}, task_state::ready, task_state::ready, 30);  // unknown task: only a new day
  auto& p = *model.metrics().project(project);
  ASSERT_EQ(p.daily_summaries.size(), 1u);
  ASSERT_EQ(p.daily.size(), 1u);
  EXPECT_EQ(p.daily.begin()->second[3], 2.0);
  auto& [end, text] = *p.daily_summaries.begin();
  EXPECT_EQ(end, at_hour(24) - 1);
  auto kept = json::parse(text).as_object();
  EXPECT_EQ(at(kept.at("operational").as_object(), {"throughput", "tasks_integrated_total"}), 2);
}

TEST_F(MetricsProjectionTest, ReplayAndCheckpointGiveTheSameMetrics) {
  history();
  read_model replica;
  for (auto& rec : fed)
    replica.apply(rec);
  EXPECT_EQ(replica.digest(), model.digest());
  EXPECT_EQ(json::serialize(replica.metrics().summary(*replica.metrics().project(project),
                                                      at_hour(20))),
            json::serialize(summary(20)));
  auto bytes = read_model_checkpoint::encode(model, sha256_digest{});
  auto back = read_model_checkpoint::decode(bytes);
  ASSERT_TRUE(back) << message_of(back.error());
  EXPECT_EQ(back->model.digest(), model.digest());
  // Without the metrics projection the digest differs: the metrics lines are in it.
  read_model bare;
  bare.metrics_enabled(false);
  for (auto& rec : fed)
    bare.apply(rec);
  EXPECT_NE(bare.digest(), model.digest());
}

}  // namespace
}  // namespace tascade
