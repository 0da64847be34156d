// The metric formulas against METRICS-SPEC §16's worked values (§16.1, §16.2, §16.7, §16.8).

#include "projections/metrics/metric_formulas.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

namespace tascade::metrics {
namespace {

namespace json = boost::json;

constexpr double h = 3600;

TEST(MetricFormulas, PrimitivesFollowTheSpec) {
  EXPECT_EQ(ratio_or_null(0, 0), 0.0);
  EXPECT_FALSE(ratio_or_null(3, 0));
  std::vector<double> ten{12, 18, 24, 36, 48, 72, 96, 120, 168, 240};
  EXPECT_DOUBLE_EQ(*percentile_cont(ten, 0.50), 60);
  EXPECT_DOUBLE_EQ(*percentile_cont(ten, 0.75), 114);
  EXPECT_DOUBLE_EQ(*percentile_cont(ten, 0.90), 175.2);
  EXPECT_DOUBLE_EQ(*percentile_cont(ten, 0.95), 207.6);
  std::vector<double> four{60, 120, 180, 240};
  EXPECT_DOUBLE_EQ(*percentile_cont(four, 0.75), 195);
  EXPECT_DOUBLE_EQ(*percentile_cont(four, 0.50), 150);
  EXPECT_DOUBLE_EQ(*percentile_cont(four, 0.90), 222);
  EXPECT_DOUBLE_EQ(*percentile_cont(four, 0.95), 231);
  EXPECT_FALSE(percentile_cont({}, 0.5));
  EXPECT_FALSE(mean({}));
  EXPECT_EQ(*stddev({5}), 0.0);
  EXPECT_EQ(round_to(2.675, 2), 2.67);  // the binary value is below the tie
  EXPECT_EQ(round_to(0.125, 2), 0.12);  // an exact tie goes to even
}

TEST(MetricFormulas, NorthStarLibraryValues) {
  double planned = 0, d = 86400;
  EXPECT_NEAR(*schedule_reliability({{planned + d, planned, 10},
                                     {planned + 0.5 * d, planned, 10},
                                     {planned + 3 * d, planned, 10}}),
              2.0 / 3, 1e-12);
  EXPECT_EQ(*cycle_time_stability(std::vector<double>{0, 0, 0}), 1.0);
  EXPECT_NEAR(*cycle_time_stability(std::vector<double>{24, 48, 72, 36, 60}), 0.646447, 1e-6);
  EXPECT_EQ(*cycle_time_stability(std::vector<double>{7}), 1.0);
  EXPECT_NEAR(*blocker_resolution_rate({12 * h, 30 * h, 60 * h}), 2.0 / 3, 1e-12);
  EXPECT_NEAR(*blocker_resolution_rate({48 * h}), 1.0, 1e-12);  // 48 h is inclusive
  EXPECT_NEAR(*dpi(0.5, 0.6, 0.8), 0.61, 1e-12);
  EXPECT_FALSE(dpi(0.5, std::nullopt, 0.8));
  EXPECT_NEAR(*fes(16, 14, 0), 0.533333333, 1e-9);
  EXPECT_FALSE(fes(0, 0, 0));
  EXPECT_NEAR(*irs({"success", "success", "conflict", "check_failure"}, {2 * h, 6 * h}),
              0.633333333, 1e-9);
  EXPECT_FALSE(irs({}, {}));
  EXPECT_NEAR(*irs({"success", "conflict"}, {}), 0.6 * 0.5 + 0.4, 1e-12);
  EXPECT_NEAR(*avdr({"P0", "P1", "P1", "P2", "P3", std::nullopt}, 7), 1.5, 1e-12);
  EXPECT_FALSE(avdr({}, 0));
  EXPECT_EQ(*haag(0.7, std::nullopt, 0.6, 0.8), 0.6);
  EXPECT_FALSE(haag(std::nullopt, std::nullopt, std::nullopt, std::nullopt));
  EXPECT_EQ(*ratio_or_null(8, 10), 0.8);
  EXPECT_EQ(priority_band(25), "P0");
  EXPECT_EQ(priority_band(101), "P3");
}

TEST(MetricFormulas, OperationalLibraryValues) {
  auto buckets = wip_library_buckets({2 * 86400., 4 * 86400., 10 * 86400., 14 * 86400.,
                                      20 * 86400.});
  EXPECT_EQ(buckets["fresh"], 1);
  EXPECT_EQ(buckets["aging"], 1);
  EXPECT_EQ(buckets["stale"], 2);
  EXPECT_EQ(buckets["at_risk"], 1);
  int64_t now = 10 * 86400'000'000LL;
  EXPECT_EQ(wip_age_seconds(now - (2 * 86400 + 6 * 3600) * 1'000'000LL, now), 194400);
  EXPECT_EQ(wip_age_seconds(now + 1, now), 0);
  EXPECT_EQ(*ratio_or_null(2, 10), 0.2);
  auto ages = blocked_age_summary({3600, 7200, 10800});
  EXPECT_EQ(*ages.avg, 7200);
  EXPECT_DOUBLE_EQ(*ages.p90, 10080);
  EXPECT_EQ(*ages.max, 10800);
  EXPECT_NEAR(conflict_probability(3), 0.142625, 1e-6);
  EXPECT_NEAR(round_to(conflict_probability(3) * impact_weight("P1"), 4), 0.1141, 1e-12);
  EXPECT_DOUBLE_EQ(*percentile_cont({3600, 7200, 10800, 14400}, 0.5), 9000);
  EXPECT_DOUBLE_EQ(*percentile_cont({3600, 7200, 10800, 14400}, 0.9), 13320);
  auto mix = outcome_mix({{"success", 1}, {"success", 2}, {"conflict", 1}, {"check_failure", 1},
                          {"aborted", 1}});
  for (auto key : {"success_first", "success_retry", "failed_conflict", "failed_checks",
                   "failed_abort"})
    EXPECT_EQ(mix.at(key).as_int64(), 1) << key;
  EXPECT_EQ(mix.at("total").as_int64(), 5);
  EXPECT_DOUBLE_EQ(mix.at("ratios").at("ratio_failed_abort").as_double(), 0.2);
  auto dist = state_distribution({{"proposed", 1}, {"ready", 2}, {"claimed", 3},
                                  {"in_progress", 4}, {"blocked", 1}, {"implemented", 2},
                                  {"awaiting_review", 1}, {"integrated", 5}});
  EXPECT_EQ(dist.at("wip_count").as_int64(), 11);
  auto even = bottleneck({{"queue", 4}, {"development", 6}, {"review", 12}, {"integration", 8}});
  EXPECT_DOUBLE_EQ(even.at("contributions").at("review").as_double(), 0.4);
  EXPECT_TRUE(even.at("primary").is_null());
  auto skewed = bottleneck({{"queue", 4}, {"development", 6}, {"review", 13}, {"integration", 7}});
  EXPECT_EQ(skewed.at("primary").as_string(), "review");
  EXPECT_TRUE(review_reassignment_due(72));
  EXPECT_FALSE(review_reassignment_due(48));
  EXPECT_NEAR(reviewer_score(0.9, 0.5, 0.8), 0.75, 1e-12);
  EXPECT_EQ(dependency_risk(9, 1, 10).at("level").as_string(), "high");
  EXPECT_EQ(dependency_risk(8, 1, 10).at("level").as_string(), "medium");
  EXPECT_EQ(dependency_risk(6, 1, 10).at("level").as_string(), "medium");
  EXPECT_EQ(dependency_risk(2, 1, 10).at("level").as_string(), "low");
  auto unknown = dependency_risk(2, 1, 0);
  EXPECT_EQ(unknown.at("level").as_string(), "unknown");
  EXPECT_TRUE(unknown.at("float_consumption").is_null());
}

json::object golden() {
  std::ifstream in(TASCADE_SOURCE_DIR "/tests/projections/golden_critical_metrics.json");
  std::stringstream text;
  text << in.rdbuf();
  return json::parse(text.str()).as_object();
}

TEST(GoldenReconciliation, TheReferenceFixturePasses) {
  auto report = reconcile(golden());
  EXPECT_EQ(report.at("status").as_string(), "pass") << json::serialize(report);
  EXPECT_EQ(report.at("total_cases").as_int64(), 3);
  EXPECT_EQ(report.at("mismatch_count").as_int64(), 0);
}

TEST(GoldenReconciliation, AShiftedExpectationFailsWithItsDelta) {
  auto data = golden();
  auto& cases = data["cases"].as_array();
  json::array first;
  for (auto& c : cases)
    if (c.at("case_id").as_string() == "dpi-baseline") {
      auto shifted = c.as_object();
      shifted["expected_output"] = 0.611;
      first.push_back(shifted);
    }
  data["cases"] = first;
  auto report = reconcile(data);
  EXPECT_EQ(report.at("status").as_string(), "fail");
  EXPECT_EQ(report.at("total_cases").as_int64(), 1);
  EXPECT_EQ(report.at("mismatch_count").as_int64(), 1);
  EXPECT_DOUBLE_EQ(report.at("mismatches").at(0).at("delta").as_double(), -0.01);
  data["cases"].as_array()[0].as_object()["metric"] = "NS-9";
  EXPECT_TRUE(reconcile(data).contains("error"));
}

std::string actions_text(double backlog, double dpi, double latency,
                         std::vector<alert_input> alerts = {}) {
  return json::serialize(workflow_actions(true, backlog, dpi, latency, alerts));
}

TEST(WorkflowActions, TheSpecTableOfSuggestions) {
  auto one = workflow_actions(true, 15, 0.80, 0, {});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].at("action_type").as_string(), "escalate");
  EXPECT_EQ(one[0].at("confidence").as_double(), 0.5);
  EXPECT_EQ(one[0].at("rationale").as_string(), "INI backlog (15) exceeds threshold (10)");
  EXPECT_EQ(one[0].at("evidence_refs").at(0).as_string(), "metric:ini_backlog:15");
  auto dpi = workflow_actions(true, 3, 0.40, 0, {});
  EXPECT_EQ(dpi[0].at("rationale").as_string(), "DPI (0.40) is below threshold (0.5)");
  EXPECT_EQ(dpi[0].at("evidence_refs").at(0).as_string(), "metric:DPI:0.40");
  auto both = workflow_actions(true, 20, 0.35, 0, {});
  EXPECT_EQ(both[0].at("confidence").as_double(), 1.0);
  EXPECT_EQ(both[0].at("evidence_refs").as_array().size(), 2u);
  EXPECT_EQ(actions_text(5, 0.75, 0), "[]");
  auto affected = workflow_actions(true, 15, 0.80, 0, {{"ini_backlog", {"t1", "t2"}, false}});
  EXPECT_EQ(json::serialize(affected[0].at("affected_tasks")), R"(["t1","t2"])");
  auto slow = workflow_actions(true, 0, 1.0, 3000, {});
  EXPECT_EQ(slow[0].at("action_type").as_string(), "reroute_reviewer");
  EXPECT_EQ(slow[0].at("confidence").as_double(), 0.6);
  EXPECT_EQ(slow[0].at("rationale").as_string(),
            "Gate queue latency (3000min) exceeds 48h SLA (2880min)");
  EXPECT_EQ(actions_text(0, 1.0, 1440), "[]");
  auto skew = workflow_actions(true, 0, 1.0, 1440, {{"blocked_ratio", {"t3"}, true}});
  EXPECT_EQ(skew[0].at("confidence").as_double(), 0.4);
  EXPECT_EQ(json::serialize(skew[0].at("affected_tasks")), R"(["t3"])");
  auto two = workflow_actions(true, 15, 0.40, 3000, {});
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].at("action_type").as_string(), "escalate");
  EXPECT_EQ(two[1].at("action_type").as_string(), "reroute_reviewer");
  EXPECT_TRUE(workflow_actions(false, 15, 0.1, 3000, {}).empty());
}

TEST(Forecasts, BreachProbabilityCases) {
  EXPECT_NEAR(breach_probability(5, 2, 100, 0.5), 0, 1e-9);
  EXPECT_NEAR(breach_probability(10, 8, 20, 2), 1, 1e-9);
  EXPECT_DOUBLE_EQ(breach_probability(5, 10, 50, 2), 0.5);
  EXPECT_EQ(breach_probability(0, 1, 1, 1), 0.0);
  EXPECT_EQ(breach_probability(3, 5, 0, 1), 1.0);
  EXPECT_EQ(breach_probability(5, 2, 100, 0), 0.0);
  EXPECT_EQ(breach_probability(5, 20, 10, 0), 1.0);
}

TEST(Forecasts, MilestoneHealthWorkedValues) {
  EXPECT_EQ(health_of(6, 0, 0, 0, 0).breach, 0.0868);
  EXPECT_EQ(health_of(7, 0, 0, 0, 0).breach, 0.5);
  EXPECT_EQ(health_of(8, 0, 0, 0, 0).breach, 0.8807);
  EXPECT_EQ(health_of(10, 0, 0, 0, 0).breach, 0.9992);
  EXPECT_EQ(health_of(8, 3, 3, 20, std::sqrt(200.0 / 3)).breach, 0.0001);
  EXPECT_EQ(health_of(5, 1, 1, 40, 0).breach, 0.3694);
  auto h = health_of(5, 3, 0, 0, 0);
  EXPECT_DOUBLE_EQ(*h.health_score, 0.6);
  EXPECT_EQ(h.status, "yellow");
  EXPECT_FALSE(health_of(0, 0, 0, 0, 0).health_score);
  EXPECT_EQ(health_of(0, 0, 0, 0, 0).status, "red");
  EXPECT_EQ(health_of(3, 3, 0, 0, 0).breach, 0.0);
}

TEST(Forecasts, MonteCarloIsSeededAndOrdered) {
  std::vector<int64_t> daily{0, 1, 2, 1, 0, 3, 1};
  auto a = monte_carlo(10, daily, 7);
  auto b = monte_carlo(10, daily, 7);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->sorted_days, b->sorted_days);
  EXPECT_LE(a->p50_days, a->p85_days);
  EXPECT_LE(a->p85_days, a->p95_days);
  EXPECT_GE(a->p50_days, 10.0 / 3);  // never faster than the best day every day
  EXPECT_DOUBLE_EQ(a->within(1e9), 1.0);
  EXPECT_DOUBLE_EQ(a->within(0), 0.0);
  // A constant throughput of 2 a day finishes 10 tasks in exactly 5 days.
  auto steady = monte_carlo(10, {2, 2, 2}, 1);
  EXPECT_EQ(steady->p50_days, 5);
  EXPECT_EQ(steady->p95_days, 5);
  EXPECT_FALSE(monte_carlo(10, {0, 0}, 1));
  EXPECT_FALSE(monte_carlo(10, {}, 1));
}

}  // namespace
}  // namespace tascade::metrics
