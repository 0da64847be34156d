// Contract synthesis from a PRD (spec §2.6): T08–T14 and T17.
#include "planner/contract_synthesis.hpp"
#include "tests/planner/planner_samples.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tascade::planner {
namespace {

namespace json = boost::json;
using strings = std::vector<std::string>;
using test::ccs_values;
using test::plan_or_fail;
using test::titles;

json::object synth(const std::string& prd) {
  return synthesize_contract(parse_prd(prd)).as_object();
}

strings path_keys(const json::object& doc) {
  strings out;
  for (auto& kv : doc.at("paths").as_object())
    out.emplace_back(kv.key());
  return out;
}

strings schema_keys(const json::object& doc) {
  strings out;
  for (auto& kv : doc.at("components").at("schemas").as_object())
    out.emplace_back(kv.key());
  return out;
}

strings operation_ids(const json::object& doc) {
  strings out;
  for (auto& path : doc.at("paths").as_object())
    for (auto& op : path.value().as_object())
      out.emplace_back(op.value().at("operationId").as_string());
  return out;
}

strings string_list(const json::value& v) {
  strings out;
  for (auto& s : v.as_array())
    out.emplace_back(s.as_string());
  return out;
}

const std::string t08_prd =
  "\n# Inventory Service\n## Capabilities\nGlossary\nWidget: Inventory item tracked for "
  "availability.\nWarehouse: Physical location where inventory is stored.\n## Constraints\nSystem "
  "must track widget stock levels across warehouses.\nWarehouse should synchronize counts "
  "nightly.\n";

TEST(PlannerSynthesis, T08PlanFromASynthesizedContract) {
  auto r = plan_or_fail(t08_prd, std::nullopt);
  EXPECT_EQ(r.source.syntax, contract_syntax::synthesized);
  EXPECT_TRUE(r.coverage.missing_operations.empty());
  EXPECT_EQ(r.coverage.total_operations, 8u);
  EXPECT_EQ(titles(r),
            (strings{"Request: provision repository scaffold", "Design and migrate Widget table",
                     "Design and migrate Warehouse table",
                     "Implement backend handlers for Inventory Service",
                     "Construct integration and contract tests", "Finalize deployment package"}));
  EXPECT_EQ(ccs_values(r), (std::vector<double>{36.5, 66.5, 66.5, 71.5, 71.5, 31.5}));
  EXPECT_EQ(r.plan.graph.edges.size(), 8u);
}

TEST(PlannerSynthesis, T09TheSynthesizedDocument) {
  auto doc = synth(t08_prd);
  EXPECT_EQ(path_keys(doc), (strings{"/widgets", "/widgets/{widgetId}", "/warehouses",
                                     "/warehouses/{warehouseId}"}));
  EXPECT_EQ(operation_ids(doc),
            (strings{"listWidgets", "createWidget", "getWidget", "updateWidget", "listWarehouses",
                     "createWarehouse", "getWarehouse", "updateWarehouse"}));
  for (auto& path : doc.at("paths").as_object())
    for (auto& op : path.value().as_object())
      EXPECT_EQ(string_list(op.value().at("tags")), (strings{"Inventory Service"}));
  EXPECT_EQ(doc.at("info").at("title"), "Inventory Service");
  EXPECT_EQ(doc.at("info").at("description"),
            "Synthesized contract derived from product requirements document. Key sections: "
            "Inventory Service, Capabilities, Constraints. Primary entities: Widget, Warehouse.");
  strings tags;
  for (auto& t : doc.at("tags").as_array())
    tags.emplace_back(t.at("name").as_string());
  EXPECT_EQ(tags, (strings{"Inventory Service", "Capabilities", "Constraints"}));
  auto& schemas = doc.at("components").at("schemas").as_object();
  EXPECT_EQ(string_list(schemas.at("Widget").at("x-prd-context").at("constraints")),
            (strings{"System must track widget stock levels across warehouses."}));
  EXPECT_EQ(string_list(schemas.at("Warehouse").at("x-prd-context").at("constraints")),
            (strings{"System must track widget stock levels across warehouses.",
                     "Warehouse should synchronize counts nightly."}));
  EXPECT_TRUE(schemas.at("Widget").at("properties").as_object().contains("status"));
  EXPECT_TRUE(schemas.at("Warehouse").at("properties").as_object().contains("status"));
  EXPECT_EQ(json::serialize(doc.at("x-taskmaster-prd")),
            R"({"headings":["Inventory Service","Capabilities","Constraints"],"hasUi":false,)"
            R"("glossaryCount":2,"constraintCount":2})");
  auto& get_widget = doc.at("paths").at("/widgets/{widgetId}").at("get").as_object();
  EXPECT_EQ(get_widget.at("parameters").at(0).at("name"), "widgetId");
  EXPECT_EQ(string_list(get_widget.at("x-prd-constraints")),
            (strings{"System must track widget stock levels across warehouses."}));
}

TEST(PlannerSynthesis, T10FromHeadingsOnly) {
  auto doc = synth("# Overview\n## Billing Accounts\n## Goals\n## Invoice History\n");
  EXPECT_EQ(path_keys(doc),
            (strings{"/billing-accountses", "/billing-accountses/{billingAccountsId}",
                     "/invoice-histories", "/invoice-histories/{invoiceHistoryId}"}));
  EXPECT_EQ(schema_keys(doc), (strings{"BillingAccounts", "InvoiceHistory"}));
  strings tags;
  for (auto& t : doc.at("tags").as_array())
    tags.emplace_back(t.at("name").as_string());
  EXPECT_EQ(tags, (strings{"Billing Accounts", "Invoice History"}));
  EXPECT_EQ(doc.at("info").at("title"), "Overview");
}

TEST(PlannerSynthesis, T11NoSignal) {
  auto doc = synth("plain text with nothing");
  EXPECT_EQ(operation_ids(doc), (strings{"listCoreResources", "createCoreResource",
                                         "getCoreResource", "updateCoreResource"}));
  EXPECT_EQ(path_keys(doc), (strings{"/core-resources", "/core-resources/{coreResourceId}"}));
  EXPECT_EQ(schema_keys(doc), (strings{"CoreResource"}));
  EXPECT_EQ(json::serialize(doc.at("tags")),
            R"([{"name":"Core","description":"Derived from PRD section 'Core'."}])");
  EXPECT_EQ(doc.at("info").at("title"), "Synthesized TaskMaster API");
  EXPECT_TRUE(std::string(doc.at("info").at("description").as_string())
                .ends_with("Key sections: general requirements. Primary entities: Core Resource."));
}

TEST(PlannerSynthesis, T12PluralsAndUniqueNames) {
  auto doc = synth(
    "Glossary\nCategory: c\nBox: b\nKey: k\nStatus: s\nMatch: m\nBoxe: x\nbox: dup\nuser account: "
    "u\nWish: w\nQuiz: q\n");
  strings segments;
  for (auto& p : path_keys(doc))
    if (p.find('{') == std::string::npos)
      segments.push_back(p.substr(1));
  EXPECT_EQ(segments, (strings{"categories", "boxes", "keys", "statuses", "matches", "boxes-2",
                               "user-accounts", "wishes", "quizes"}));
  auto ops = operation_ids(doc);
  EXPECT_EQ(strings(ops.begin() + 20, ops.begin() + 24),
            (strings{"listBoxes2", "createBoxe", "getBoxe", "updateBoxe"}));
  EXPECT_EQ(schema_keys(doc), (strings{"Category", "Box", "Key", "Status", "Match", "Boxe",
                                       "UserAccount", "Wish", "Quiz"}));
  EXPECT_EQ(synth_plural("Billing Accounts"), "Billing Accountses");
  EXPECT_EQ(synth_display("API key"), "Api Key");
  EXPECT_EQ(synth_display("- Widget"), "Widget");
}

TEST(PlannerSynthesis, T13RemainingConstraintsRoundRobin) {
  auto doc = synth(
    "# Catalog\nGlossary\nBook: a book\nAuthor: a writer\n# Rules\nSystem must log "
    "everything.\nThe API shall be fast.\nBooks should have ISBN.\nUptime must be 99.9%.\nShall "
    "encrypt at rest.\nMust support export.");
  auto& schemas = doc.at("components").at("schemas").as_object();
  EXPECT_EQ(string_list(schemas.at("Book").at("x-prd-context").at("constraints")),
            (strings{"Books should have ISBN."}));
  EXPECT_EQ(string_list(schemas.at("Author").at("x-prd-context").at("constraints")),
            (strings{"System must log everything.", "The API shall be fast."}));
  EXPECT_EQ(schemas.at("Book").at("x-prd-context").at("tag"), "Catalog");
  EXPECT_EQ(schemas.at("Author").at("x-prd-context").at("tag"), "Catalog");
}

TEST(PlannerSynthesis, T14TokenConstraintMatching) {
  auto doc =
    synth("Glossary\nuser account: person using the system\nNote: accounts must be verified\n");
  EXPECT_EQ(path_keys(doc), (strings{"/user-accounts", "/user-accounts/{userAccountId}", "/notes",
                                     "/notes/{noteId}"}));
  auto& schemas = doc.at("components").at("schemas").as_object();
  for (auto name : {"UserAccount", "Note"}) {
    EXPECT_EQ(string_list(schemas.at(name).at("x-prd-context").at("constraints")),
              (strings{"Note: accounts must be verified"}))
      << name;
    EXPECT_EQ(schemas.at(name).at("x-prd-context").at("tag"), "Core");
  }
}

TEST(PlannerSynthesis, T17FrontEndWithASynthesizedContract) {
  const std::string prd =
    "# Orders\nGlossary\nOrder: customer purchase\n# Screens\nThe dashboard lists orders.";
  auto r = plan_or_fail(prd, std::nullopt);
  EXPECT_EQ(titles(r),
            (strings{"Request: provision repository scaffold", "Design and migrate Order table",
                     "Implement backend handlers for Orders", "Create shared frontend foundation",
                     "Build UI flow for listOrders", "Build UI flow for createOrder",
                     "Build UI flow for getOrder", "Build UI flow for updateOrder",
                     "Construct integration and contract tests", "Finalize deployment package"}));
  EXPECT_EQ(r.plan.graph.nodes[4].description, "Implement UI to surface List Orders");
  EXPECT_EQ(r.plan.graph.edges.size(), 15u);
  EXPECT_TRUE(
    std::string(r.source.document.at("info").at("description").as_string())
      .ends_with("Primary entities: Order. PRD indicates user interface considerations."));
}

}  // namespace
}  // namespace tascade::planner
