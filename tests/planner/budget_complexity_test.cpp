// Token budgets and partitioning (T21–T24) and CCS worked values (T25, spec §6.4).
#include "planner/complexity.hpp"
#include "planner/token_budget.hpp"
#include "tests/planner/planner_samples.hpp"

#include <gtest/gtest.h>

namespace tascade::planner {
namespace {

using strings = std::vector<std::string>;

std::string repeat_words(const std::string& w, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i)
    out += (i ? " " : "") + w;
  return out;
}

strings numbered(const std::string& prefix, size_t n) {
  strings out;
  for (size_t i = 1; i <= n; ++i)
    out.push_back(prefix + std::to_string(i));
  return out;
}

plan_node node(std::string title, std::string description, strings tasks, strings criteria) {
  plan_node n;
  n.title = std::move(title);
  n.domain = "BE";
  n.description = std::move(description);
  n.tasks = std::move(tasks);
  n.acceptance_criteria = std::move(criteria);
  return n;
}

planner_settings small_window(long w, double h, long floor) {
  planner_settings s;
  s.model_window = w;
  s.headroom_pct = h;
  s.budget_floor = floor;
  return s;
}

TEST(PlannerBudget, EstimatorCountsWords) {
  EXPECT_EQ(estimate_tokens(""), 128);
  EXPECT_EQ(estimate_tokens("  one\ttwo \n three "), 132);
  EXPECT_EQ(estimate_tokens(repeat_words("detailed", 120)), 308);
  EXPECT_EQ(planner_settings{}.capacity(), 180000);
}

TEST(PlannerBudget, T21SplitsAnOversizedNodeEvenly) {
  plan_graph g;
  g.nodes.push_back(
    node("Massive feature", repeat_words("detailed", 120), numbered("t", 12), numbered("c", 6)));
  auto r = apply_budgets(g, small_window(500, 0.2, 64));
  EXPECT_EQ(r.capacity, 400);
  EXPECT_EQ(r.budgets, (std::vector<long>{398, 398, 398}));
  EXPECT_TRUE(r.violations.empty());
  size_t tasks = 0, crit = 0;
  for (size_t i = 0; i < 3; ++i) {
    auto& part = r.graph.nodes[i];
    EXPECT_EQ(part.title, "Massive feature (part " + std::to_string(i + 1) + " of 3)");
    tasks += part.tasks.size();
    crit += part.acceptance_criteria.size();
    EXPECT_EQ(part.tasks.size(), 4u);
    EXPECT_EQ(part.acceptance_criteria.size(), 2u);
  }
  EXPECT_EQ(tasks, 12u);
  EXPECT_EQ(crit, 6u);
  EXPECT_EQ(r.graph.edges.size(), 2u);  // the two chain edges
}

TEST(PlannerBudget, T22RewiresEdgesAroundTheParts) {
  plan_graph g;
  // 14 words + 1 task = 189 tokens; 29 words + 1 criterion = 191; 82 words + 9 + 5 = 711.
  g.nodes.push_back(node("Initialize schema", repeat_words("w", 14), {"t"}, {}));
  g.nodes.push_back(
    node("Backend epic", repeat_words("b", 82), numbered("t", 9), numbered("c", 5)));
  g.nodes.push_back(node("Validate flows", repeat_words("v", 29), {}, {"c"}));
  g.edges = {{0, 1, "Start to backend"}, {1, 2, "Backend to tests"}};
  auto r = apply_budgets(g, small_window(500, 0.2, 64));
  strings titles;
  for (auto& n : r.graph.nodes)
    titles.push_back(n.title);
  EXPECT_EQ(titles, (strings{"Initialize schema", "Backend epic (part 1 of 2)",
                             "Backend epic (part 2 of 2)", "Validate flows"}));
  EXPECT_EQ(r.budgets, (std::vector<long>{189, 400, 400, 191}));
  EXPECT_EQ(r.graph.nodes[1].tasks.size(), 5u);
  EXPECT_EQ(r.graph.nodes[1].acceptance_criteria.size(), 3u);
  EXPECT_EQ(py_split_words(r.graph.nodes[1].description).size(), 8u);
  EXPECT_EQ(r.graph.nodes[2].tasks.size(), 4u);
  EXPECT_EQ(py_split_words(r.graph.nodes[2].description).size(), 48u);
  EXPECT_EQ(test::edge_lines(r.graph), (strings{"0→1 Start to backend", "2→3 Backend to tests",
                                                "1→2 Partition order for Backend epic"}));
}

TEST(PlannerBudget, TaskHeavyNodeNeedsFourParts) {
  plan_graph g;
  g.nodes.push_back(node("T", "x", numbered("t", 20), {}));
  auto r = apply_budgets(g, small_window(500, 0.2, 64));
  ASSERT_EQ(r.graph.nodes.size(), 4u);
  EXPECT_EQ(r.budgets, (std::vector<long>{338, 338, 338, 338}));
  EXPECT_EQ(r.graph.nodes[2].description, "x Subtask 3 of 4 continuing T.");
}

TEST(PlannerBudget, T23CapsWhenTheFloorExceedsCapacity) {
  plan_graph g;
  g.nodes.push_back(node("A", "a", {"t"}, {}));
  g.nodes.push_back(node("B", "b", {"t"}, {}));
  g.edges = {{0, 1, "e"}};
  auto r = apply_budgets(g, small_window(1000, 0.1, 2000));
  EXPECT_EQ(r.capacity, 900);
  EXPECT_EQ(r.budgets, (std::vector<long>{900, 900}));
  EXPECT_TRUE(r.violations.empty());
  EXPECT_EQ(r.graph.nodes.size(), 2u);
  EXPECT_EQ(test::edge_lines(r.graph), (strings{"0→1 e"}));
}

TEST(PlannerBudget, T24GreedyFallbackDropsWhatFitsNowhere) {
  plan_graph g;
  g.nodes.push_back(node("G", "alpha beta gamma", {"t1"}, {"c1"}));
  auto r = apply_budgets(g, small_window(150, 0.0, 64));
  ASSERT_EQ(r.graph.nodes.size(), 2u);
  EXPECT_EQ(r.graph.nodes[0].title, "G (part 1)");
  EXPECT_EQ(r.graph.nodes[0].description, "alpha");
  EXPECT_EQ(r.graph.nodes[0].tasks, strings{});
  EXPECT_EQ(r.graph.nodes[0].acceptance_criteria, strings{"c1"});
  EXPECT_EQ(r.graph.nodes[1].title, "G (part 2)");
  EXPECT_EQ(r.graph.nodes[1].description, "beta gamma Subtask 2 of partition for G.");
  EXPECT_EQ(r.graph.nodes[1].tasks, strings{});
  EXPECT_EQ(r.budgets, (std::vector<long>{149, 140}));
}

struct ccs_row {
  const char* name;
  size_t in, out, c;
  strings tasks;
  size_t k;
  double ccs, d, s, n, a, r;
  long subtasks;
  double confidence, score_1_10;
};

TEST(PlannerComplexity, T25WorkedExamples) {
  const ccs_row rows[] = {
    {"scaffold", 0, 1, 0, {"a", "b", "c"}, 3, 31.5, 16.67, 75.0, 50.0, 0.0, 10.0, 3, 0.84, 3.1},
    {"db", 1, 2, 2, {"a", "b", "c"}, 3, 56.5, 83.33, 75.0, 50.0, 33.33, 10.0, 4, 0.72, 5.7},
    {"be", 1, 1, 2, {"a", "b", "c"}, 3, 51.5, 66.67, 75.0, 50.0, 33.33, 10.0, 4, 0.74, 5.2},
    {"custom",
     1,
     0,
     1,
     {"Research OAuth providers", "Implement"},
     1,
     32.67,
     33.33,
     37.5,
     33.33,
     16.67,
     40.0,
     3,
     0.84,
     3.3},
    {"empty", 1, 0, 0, {}, 0, 8.5, 16.67, 0.0, 10.0, 0.0, 10.0, 1, 0.96, 0.8},
    {"heavy",
     0,
     0,
     6,
     {"research a", "b", "c", "d", "e", "f"},
     2,
     91.0,
     100,
     100,
     100,
     100,
     40,
     7,
     0.54,
     9.1},
  };
  planner_settings s;
  for (auto& row : rows) {
    auto out = score_node({row.in, row.out, row.c, row.tasks, row.k, 0}, s);
    EXPECT_EQ(out.ccs, row.ccs) << row.name;
    EXPECT_EQ(out.d, row.d) << row.name;
    EXPECT_EQ(out.s, row.s) << row.name;
    EXPECT_EQ(out.n, row.n) << row.name;
    EXPECT_EQ(out.a, row.a) << row.name;
    EXPECT_EQ(out.r, row.r) << row.name;
    EXPECT_EQ(out.recommended_subtasks, row.subtasks) << row.name;
    EXPECT_EQ(out.confidence, row.confidence) << row.name;
    EXPECT_EQ(out.score_1_10, row.score_1_10) << row.name;
    EXPECT_EQ(out.model_class, std::string(row.name) == "heavy" ? "Class-1M" : "Class-200K");
  }
}

TEST(PlannerComplexity, WeightsAreConfigurable) {
  planner_settings s;
  s.weights = {1.0, 0.0, 0.0, 0.0, 0.0};
  auto out = score_node({3, 3, 0, {"a"}, 0, 0}, s);
  EXPECT_EQ(out.ccs, 100.0);
  s.optional_model_class = "";
  EXPECT_EQ(score_node({3, 3, 0, {"a"}, 0, 0}, s).model_class, "Class-200K");
}

}  // namespace
}  // namespace tascade::planner
