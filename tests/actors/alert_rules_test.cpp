// The alert rules (METRICS-SPEC §9, §16.6) as pure functions: thresholds, anomalies, and what
// the alert desk decides to record.

#include "actors/alert_rules.hpp"
#include "tascade/errc.hpp"

#include <gtest/gtest.h>

namespace tascade {
namespace {

std::string severity(const std::string& key, double value) {
  auto hit = evaluate_threshold(key, value);
  if (!hit)
    return "unknown";
  return hit->triggered ? *hit->severity : "none";
}

TEST(AlertRules, ThresholdTableOfTheSpec) {
  EXPECT_EQ(severity("DPI", 0.30), "emergency");
  EXPECT_EQ(severity("DPI", 0.45), "critical");
  EXPECT_EQ(severity("DPI", 0.60), "warning");
  EXPECT_EQ(severity("DPI", 0.80), "none");
  EXPECT_EQ(severity("DPI", 0.65), "none");  // strict: equal to the threshold is not below it
  EXPECT_EQ(severity("lead_time_p90", 600), "emergency");
  EXPECT_EQ(severity("lead_time_p90", 400), "critical");
  EXPECT_EQ(severity("lead_time_p90", 300), "warning");
  EXPECT_EQ(severity("lead_time_p90", 100), "none");
  EXPECT_EQ(severity("blocked_ratio", 0.50), "emergency");
  EXPECT_EQ(severity("ini_backlog", 12), "warning");
  EXPECT_EQ(severity("ini_backlog", 50), "emergency");
  EXPECT_EQ(severity("ini_backlog", 5), "none");
  EXPECT_EQ(severity("velocity", 1), "unknown");
  EXPECT_EQ(severity("FES", 0.05), "emergency");
  EXPECT_EQ(severity("FES", 0.15), "critical");
  EXPECT_EQ(severity("FES", 0.25), "warning");
  EXPECT_EQ(severity("FES", 0.50), "none");
  EXPECT_EQ(severity("IRS", 0.40), "emergency");
  EXPECT_EQ(severity("IRS", 0.70), "warning");
  EXPECT_EQ(*evaluate_threshold("DPI", 0.30)->threshold, 0.35);
}

TEST(AlertRules, AnomalyScores) {
  auto high = evaluate_anomaly({10, 10.5, 9.5, 10.2, 9.8}, 20);
  ASSERT_TRUE(high);
  EXPECT_TRUE(high->triggered);
  EXPECT_NEAR(high->z_score, 29.361, 1e-3);
  auto calm = evaluate_anomaly({10, 11, 9, 10.5, 10}, 10.2);
  ASSERT_TRUE(calm);
  EXPECT_FALSE(calm->triggered);
  EXPECT_NEAR(calm->z_score, 0.151, 1e-3);
  EXPECT_FALSE(evaluate_anomaly({5}, 1));
  EXPECT_FALSE(evaluate_anomaly({}, 1));
  EXPECT_FALSE(evaluate_anomaly({5, 5, 5}, 1));
}

struct AlertDesk : ::testing::Test {
  alert_desk_state state;
  project_id project = project_id::random();
  int next = 0;
  std::vector<uuid> ids{uuid::random(), uuid::random(), uuid::random(), uuid::random()};

  std::vector<events::event> evaluate(std::vector<std::pair<std::string, double>> readings) {
    auto out = decide(state, evaluate_alerts{project, std::move(readings)},
                      [this] { return ids[size_t(next++)]; });
    for (auto& ev : out)
      tascade::apply(state, ev);
    return out;
  }
};

TEST_F(AlertDesk, RaisesOnceResolvesAndEscalates) {
  // {DPI 0.30, FES 0.50, blocked_ratio 0.30} → DPI emergency and blocked_ratio critical.
  auto first = evaluate({{"DPI", 0.30}, {"FES", 0.50}, {"blocked_ratio", 0.30}});
  ASSERT_EQ(first.size(), 2u);
  auto& dpi = std::get<events::alert_raised>(first[0]);
  EXPECT_EQ(dpi.metric_key, "DPI");
  EXPECT_EQ(dpi.severity, "emergency");
  EXPECT_EQ(dpi.alert_type, "threshold");
  EXPECT_EQ(dpi.project, project);
  EXPECT_EQ(dpi.context.at("direction").as_string(), "below");
  EXPECT_EQ(std::get<events::alert_raised>(first[1]).severity, "critical");
  // The same readings again: nothing new (no duplicate of an open alert).
  EXPECT_TRUE(evaluate({{"DPI", 0.30}, {"blocked_ratio", 0.30}}).empty());
  // DPI recovers, blocked ratio worsens: DPI resolves; blocked_ratio moves to emergency.
  auto second = evaluate({{"DPI", 0.90}, {"blocked_ratio", 0.45}});
  ASSERT_EQ(second.size(), 3u);
  EXPECT_EQ(std::get<events::alert_resolved>(second[0]).id, ids[0]);
  EXPECT_EQ(std::get<events::alert_resolved>(second[1]).id, ids[1]);
  EXPECT_EQ(std::get<events::alert_raised>(second[2]).severity, "emergency");
  EXPECT_TRUE(evaluate({{"DPI", 0.90}, {"FES", 0.5}, {"IRS", 0.8}}).empty());
}

TEST_F(AlertDesk, AcknowledgeChecksTheAlertAndItsProject) {
  evaluate({{"ini_backlog", 12}});
  auto ok = decide(state, acknowledge_alert{{"planner-1", ""}, ids[0].str(), project.str()});
  ASSERT_TRUE(ok);
  EXPECT_EQ(std::get<events::alert_acknowledged>(ok->front()).by, "planner-1");
  auto unknown = decide(state, acknowledge_alert{{}, uuid::random().str(), project.str()});
  EXPECT_EQ(unknown.error(), errc::alert_not_found);
  auto malformed = decide(state, acknowledge_alert{{}, "not-an-id", project.str()});
  EXPECT_EQ(malformed.error(), errc::alert_not_found);
  auto other = decide(state, acknowledge_alert{{}, ids[0].str(), project_id::random().str()});
  EXPECT_EQ(other.error(), errc::project_scope_violation);
}

TEST_F(AlertDesk, PlannersChangeThresholds) {
  auto exists = [](const project_id&) { return true; };
  auto set = decide(state,
                    set_alert_thresholds{{"planner-1", ""}, project.str(),
                                         {{"ini_backlog", {{"warning", 2}}}}},
                    exists);
  ASSERT_TRUE(set);
  tascade::apply(state, set->front());
  auto raised = evaluate({{"ini_backlog", 3}});
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(std::get<events::alert_raised>(raised[0]).severity, "warning");
  EXPECT_EQ(*std::get<events::alert_raised>(raised[0]).threshold, 2);
  auto bad = [&](boost::json::object t) {
    auto r = decide(state, set_alert_thresholds{{}, project.str(), std::move(t)}, exists);
    return !r && r.error() == errc::bad_request;
  };
  EXPECT_TRUE(bad({{"velocity", {{"warning", 1}}}}));
  EXPECT_TRUE(bad({{"DPI", {{"warning", "high"}}}}));
  EXPECT_TRUE(bad({{"DPI", {{"warning", 0.2}}}}));  // below critical: out of order
  EXPECT_TRUE(bad({}));
  auto missing = decide(state, set_alert_thresholds{{}, "nope", {{"DPI", {{"warning", 0.7}}}}},
                        exists);
  EXPECT_EQ(missing.error(), errc::project_not_found);
}

}  // namespace
}  // namespace tascade
