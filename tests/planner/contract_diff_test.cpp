// Rerun against a changed contract: the contract diff and the plan delta (new, cancelled and
// materially changed tasks).
#include "planner/contract_diff.hpp"
#include "tests/planner/planner_samples.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tascade::planner {
namespace {

namespace json = boost::json;
using strings = std::vector<std::string>;
using indices = std::vector<size_t>;

const std::string prd = "# Overview\nThe service manages widgets.";

contract load(const json::value& doc) {
  auto c = load_contract_document(doc);
  if (!c)
    throw std::runtime_error(message_of(c.error()));
  return std::move(*c);
}

TEST(PlannerContractDiff, SameContractNoDelta) {
  auto a = test::plan_or_fail(prd, test::sample_contract());
  auto b = test::plan_or_fail(prd, test::sample_contract());
  auto d = diff_plans(a, b);
  EXPECT_TRUE(d.diff.empty());
  EXPECT_TRUE(d.added.empty());
  EXPECT_TRUE(d.cancelled.empty());
  EXPECT_TRUE(d.material.empty());
}

TEST(PlannerContractDiff, ChangedAndAddedOperations) {
  auto doc = test::sample_document();
  auto& paths = doc.as_object()["paths"].as_object();
  paths["/widgets"].as_object()["post"].as_object()["summary"] = "Create a widget";
  paths["/gadgets"] = json::parse(R"({"get":{"operationId":"listGadgets","tags":["Gadgets"]}})");
  auto a = test::plan_or_fail(prd, test::sample_contract());
  auto b = test::plan_or_fail(prd, load(doc));
  auto d = diff_plans(a, b);
  EXPECT_EQ(d.diff.added_operations, strings{"listGadgets"});
  EXPECT_EQ(d.diff.changed_operations, strings{"createWidget"});
  EXPECT_TRUE(d.diff.removed_operations.empty());
  EXPECT_EQ(d.added, indices{3});  // "Implement backend handlers for Gadgets"
  EXPECT_EQ(b.plan.graph.nodes[3].title, "Implement backend handlers for Gadgets");
  EXPECT_TRUE(d.cancelled.empty());
  EXPECT_EQ(d.material, (indices{1, 2, 3}));  // DB Widget, BE default, Test
}

TEST(PlannerContractDiff, RemovedOperationAndEntity) {
  auto doc = test::sample_document();
  doc.as_object()["paths"].as_object()["/widgets"].as_object().erase("post");
  doc.as_object()["components"].as_object()["schemas"].as_object().erase("Widget");
  auto a = test::plan_or_fail(prd, test::sample_contract());
  auto b = test::plan_or_fail(prd, load(doc));
  auto d = diff_plans(a, b);
  EXPECT_EQ(d.diff.removed_operations, strings{"createWidget"});
  EXPECT_EQ(d.diff.removed_entities, strings{"Widget"});
  EXPECT_EQ(d.cancelled, indices{1});      // the Widget table
  EXPECT_EQ(d.material, (indices{2, 3}));  // BE default and Test lost createWidget
  EXPECT_TRUE(d.added.empty());
}

TEST(PlannerContractDiff, ChangedEntityTouchesItsTableOnly) {
  auto doc = test::sample_document();
  doc.as_object()["components"]
    .as_object()["schemas"]
    .as_object()["Widget"]
    .as_object()["required"] = json::array{"id"};
  auto a = test::plan_or_fail(prd, test::sample_contract());
  auto b = test::plan_or_fail(prd, load(doc));
  auto d = diff_plans(a, b);
  EXPECT_EQ(d.diff.changed_entities, strings{"Widget"});
  EXPECT_TRUE(d.diff.changed_operations.empty());
  EXPECT_EQ(d.material, indices{1});
}

}  // namespace
}  // namespace tascade::planner
