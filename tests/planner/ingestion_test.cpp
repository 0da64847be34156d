// Ingestion: PRD lines (T15, T16), operation extraction (T19), validation (T31, T32 and checks
// 1 to 8 of spec §2.2), the contract hash (T34), YAML and GraphQL SDL.
#include "planner/contract_input.hpp"
#include "planner/graphql_contract.hpp"
#include "planner/graphql_sdl.hpp"
#include "planner/openapi_contract.hpp"
#include "planner/openapi_validation.hpp"
#include "planner/prd.hpp"
#include "planner/yaml_document.hpp"
#include "tests/planner/planner_samples.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tascade::planner {
namespace {

namespace json = boost::json;

using strings = std::vector<std::string>;

TEST(PlannerPrd, T15LineRules) {
  auto f = parse_prd(
    "#Title\n##  Sub ##\n   ### Deep\nGlossary: not entry\nGlossary\n- Api Key: secret\nnot an "
    "entry\n# Next\nFoo: bar\nShoulder must");
  EXPECT_EQ(f.headings, (strings{"Title", "Sub ##", "Deep", "Next"}));
  EXPECT_EQ(f.glossary, (strings{"- Api Key: secret"}));
  EXPECT_EQ(f.constraints, (strings{"Shoulder must"}));
  EXPECT_FALSE(f.has_ui);
}

TEST(PlannerPrd, T16UiSubstringRule) {
  const std::pair<const char*, bool> cases[] = {{"Provide information on stock", true},
                                                {"The build pipeline", true},
                                                {"Admin dashboard", true},
                                                {"Platform team", true},
                                                {"Guidance", true},
                                                {"No graphical output", false},
                                                {"Return JSON", false},
                                                {"Paginated results", false},
                                                {"Usage quotas", false},
                                                {"No UI.", true}};
  for (auto& [text, expected] : cases)
    EXPECT_EQ(parse_prd(text).has_ui, expected) << text;
}

TEST(PlannerPrd, SplitsOnEveryPythonLineBreak) {
  auto lines = split_python_lines(
    "a\r\nb\rc\vd\x1c"
    "e\xC2\x85"
    "f\xE2\x80\xA8g");
  EXPECT_EQ(lines.size(), 7u);
  EXPECT_EQ(lines[6], "g");
  EXPECT_EQ(py_strip("\xC2\xA0 x \t"), "x");
}

TEST(PlannerPrd, StrictUiReadsMarkdownWordsAndNegations) {
  EXPECT_TRUE(prd_has_ui_strict("# Admin\n\nThe admin **dashboard** lists orders."));
  EXPECT_TRUE(prd_has_ui_strict("- a settings screen\n- two buttons"));
  EXPECT_FALSE(prd_has_ui_strict("No UI."));
  EXPECT_FALSE(prd_has_ui_strict("The build pipeline. Provide information."));
  EXPECT_FALSE(prd_has_ui_strict("```\nrender the dashboard\n```\n"));
  EXPECT_FALSE(prd_has_ui_strict("A headless service with a dashboard."));
}

TEST(PlannerContract, T19FallbackIdsAndMethodFilter) {
  auto doc = json::parse(R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{
    "/widgets/{id}/parts":{"get":{},"parameters":[{"name":"id","in":"path","required":true}],
                           "TRACE":{},"Put":{"description":"d"}},
    "/":{"post":{}}}})");
  auto c = contract_from_openapi(doc, contract_syntax::json);
  ASSERT_TRUE(c) << message_of(c.error());
  ASSERT_EQ(c->operations.size(), 3u);
  EXPECT_EQ(c->operations[0].operation_id, "get_widgets_{id}_parts");
  EXPECT_EQ(c->operations[0].method, "GET");
  EXPECT_EQ(c->operations[0].summary, "");
  EXPECT_EQ(c->operations[1].operation_id, "Put_widgets_{id}_parts");
  EXPECT_EQ(c->operations[1].method, "PUT");
  EXPECT_EQ(c->operations[1].summary, "d");
  EXPECT_EQ(c->operations[2].operation_id, "post_");
  EXPECT_EQ(c->operations[2].method, "POST");
}

TEST(PlannerContract, T34SampleHash) {
  auto c = test::sample_contract();
  EXPECT_EQ(c.hash, "f2bbaf33ea3308f43b38ede6f2af41b1ea841557a9520638dbf5a144c948f839");
  EXPECT_EQ(c.operations.size(), 2u);
  ASSERT_EQ(c.entities.size(), 1u);
  EXPECT_EQ(c.entities[0].name, "Widget");
}

// The part each invalid document is rejected at (spec §2.2 checks 1 to 8, T31, T32).
TEST(PlannerContract, ValidationNamesTheBadPart) {
  const std::pair<const char*, const char*> cases[] = {
    {R"([1])", "document"},
    {R"({"info":{"title":"t","version":"1"},"paths":{}})", "document"},
    {R"({"openapi":"4.0.0","info":{"title":"t","version":"1"},"paths":{}})", "/openapi"},
    {R"({"openapi":"3.1.0","paths":{}})", "/info"},  // T31
    {R"({"openapi":"3.1.0","info":{"title":"t"},"paths":{}})", "/info/version"},
    {R"({"openapi":"3.0.3","info":{"title":"t","version":"1"}})", "/paths"},
    {R"({"openapi":"3.1.0","info":{"title":"t","version":"1"}})", "document"},
    {R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"widgets":{}}})",
     "/paths/widgets"},
    {R"({"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{}}}})",
     "/paths/~1a/get/responses"},
    {R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"operationId":"x"},"post":{"operationId":"x"}}}})",
     "/paths/~1a/post/operationId"},
    {R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a/{id}":{"get":{}}}})",
     "/paths/~1a~1{id}/get/parameters"},
    {R"({"openapi":"3.1.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{"responses":{"200":{"$ref":"#/components/responses/Nope"}}}}}})",
     "/paths/~1a/get/responses/200/$ref"},
    {R"({"swagger":"2.0","info":{"title":"t","version":"1"},"paths":{"/a":{"get":{}}}})",
     "/paths/~1a/get/responses"},
  };
  for (auto& [text, part] : cases) {
    auto c = load_contract_document(json::parse(text));
    ASSERT_FALSE(c) << text;
    EXPECT_EQ(c.error(), errc::validation_failed);
    auto details = details_of(c.error());
    ASSERT_TRUE(details.is_object()) << text;
    EXPECT_EQ(details.at("part"), part) << text << " → " << message_of(c.error());
    EXPECT_EQ(details.at("error"), "ContractInvalid");
  }
}

TEST(PlannerContract, T32OpenApi30WithoutResponsesIsRejected) {
  auto doc = test::sample_document();
  doc.as_object()["openapi"] = "3.0.3";
  auto c = load_contract_document(doc);
  ASSERT_FALSE(c);
  EXPECT_NE(message_of(c.error()).find("responses"), std::string::npos);
}

TEST(PlannerContract, PathParametersMayComeFromRefsAndPathLevel) {
  auto c = load_contract_text(R"({"openapi":"3.0.3","info":{"title":"t","version":"1"},
    "paths":{"/a/{id}/{n}":{"parameters":[{"$ref":"#/components/parameters/id"}],
      "get":{"parameters":[{"name":"n","in":"path","required":true}],"responses":{}}}},
    "components":{"parameters":{"id":{"name":"id","in":"path","required":true}}}})");
  ASSERT_TRUE(c) << message_of(c.error());
  EXPECT_EQ(c->operations.size(), 1u);
  EXPECT_EQ(c->syntax, contract_syntax::json);
}

TEST(PlannerYaml, SameDocumentAsJsonKeepingKeyOrder) {
  auto yaml = R"(openapi: 3.1.0
info:
  title: Sample API
  version: 1.0.0
paths:
  /widgets:
    get:
      operationId: listWidgets
      summary: List widgets
    post:
      operationId: createWidget
      summary: Create widget
components:
  schemas:
    Widget:
      type: object
      properties:
        id: {type: string}
        name:
          type: string
)";
  auto c = load_contract_text(yaml);
  ASSERT_TRUE(c) << message_of(c.error());
  EXPECT_EQ(c->syntax, contract_syntax::yaml);
  EXPECT_EQ(c->hash, "f2bbaf33ea3308f43b38ede6f2af41b1ea841557a9520638dbf5a144c948f839");
  EXPECT_EQ(c->operations[0].operation_id, "listWidgets");
  EXPECT_EQ(c->operations[1].operation_id, "createWidget");
}

TEST(PlannerYaml, CoreSchemaScalarsAnchorsAndQuotes) {
  auto v = parse_yaml_document(R"(a: 1
b: -2.5
c: "3"
d: true
e: ~
f: 0x1f
g: 1.0.0
h: &x {k: [1, two]}
i: *x
j: 'null'
k: 1e3
)");
  ASSERT_TRUE(v) << message_of(v.error());
  auto& o = v->as_object();
  EXPECT_EQ(o.at("a"), 1);
  EXPECT_EQ(o.at("b").as_double(), -2.5);
  EXPECT_EQ(o.at("c"), "3");
  EXPECT_EQ(o.at("d"), true);
  EXPECT_TRUE(o.at("e").is_null());
  EXPECT_EQ(o.at("f"), 31);
  EXPECT_EQ(o.at("g"), "1.0.0");
  EXPECT_EQ(o.at("i"), o.at("h"));
  EXPECT_EQ(o.at("j"), "null");
  EXPECT_EQ(o.at("k").as_double(), 1000.0);
}

TEST(PlannerYaml, SyntaxErrorNamesLineAndColumn) {
  auto v = parse_yaml_document("a: [1, 2\nb: 3\n");
  ASSERT_FALSE(v);
  auto part = details_of(v.error()).at("part").as_string();
  EXPECT_TRUE(part.starts_with("line ")) << part;
}

TEST(PlannerSdl, ParsesTheTypeSystemAndMapsRootsAndEntities) {
  auto sdl = R"(
"""
The root.
"""
schema { query: Root mutation: Changes }
directive @auth(role: String = "admin") repeatable on FIELD_DEFINITION | OBJECT
scalar DateTime @specifiedBy(url: "https://example.com")
interface Node { id: ID! }
"""
  A widget.
    Indented line.
"""
type Widget implements Node & Named @key(fields: "id") {
  id: ID!
  "The name"
  name(locale: String = "en", tags: [String!] = ["a", "b"], f: In = {x: 1}): String
}
input In { x: Int = 1 @deprecated, y: [In!]! }
enum Colour { RED GREEN @deprecated(reason: "no") }
union Thing = | Widget | Colour
type Root {
  "List widgets"
  widgets(first: Int = 10): [Widget!]!
  widget(id: ID!): Widget
}
type Changes { widgets(input: In!): Widget }
extend type Widget { colour: Colour }
)";
  auto schema = parse_graphql_sdl(sdl);
  ASSERT_TRUE(schema) << message_of(schema.error());
  EXPECT_EQ(schema->query_root, "Root");
  auto c = contract_from_sdl_text(sdl);
  ASSERT_TRUE(c);
  ASSERT_EQ(c->operations.size(), 3u);
  EXPECT_EQ(c->operations[0].operation_id, "widgets");
  EXPECT_EQ(c->operations[0].method, "QUERY");
  EXPECT_EQ(c->operations[0].path, "/graphql");
  EXPECT_EQ(c->operations[0].summary, "List widgets");
  EXPECT_EQ(c->operations[2].operation_id, "widgets2");  // made unique across roots
  EXPECT_EQ(c->operations[2].method, "MUTATION");
  ASSERT_EQ(c->entities.size(), 3u);
  EXPECT_EQ(c->entities[0].name, "Widget");
  EXPECT_EQ(json::serialize(c->entities[0].definition),
            R"({"kind":"type","fields":["id","name","colour"]})");
  EXPECT_EQ(c->entities[1].name, "In");
  EXPECT_EQ(c->entities[2].name, "Colour");
  EXPECT_EQ(c->syntax, contract_syntax::graphql);
  EXPECT_EQ(c->hash.size(), 64u);
  EXPECT_EQ(schema->types[2].name, "Widget");
  EXPECT_EQ(schema->types[2].description, "A widget.\n  Indented line.");
}

TEST(PlannerSdl, SyntaxErrorNamesLineAndColumn) {
  auto c = contract_from_sdl_text("type Query {\n  a: Int\n  b Int\n}\n");
  ASSERT_FALSE(c);
  EXPECT_EQ(details_of(c.error()).at("part"), "line 3, column 5");
  EXPECT_NE(message_of(c.error()).find("expected ':'"), std::string::npos);
}

TEST(PlannerContract, DetectsTheSyntax) {
  EXPECT_EQ(detect_contract_syntax("  {\"openapi\":1}"), contract_syntax::json);
  EXPECT_EQ(detect_contract_syntax("openapi: 3.1.0\n"), contract_syntax::yaml);
  EXPECT_EQ(detect_contract_syntax("# c\ntype Query { a: Int }"), contract_syntax::graphql);
  EXPECT_EQ(detect_contract_syntax("\"\"\"doc\"\"\"\nscalar X"), contract_syntax::graphql);
  EXPECT_EQ(detect_contract_syntax("x", "api.yml"), contract_syntax::yaml);
}

}  // namespace
}  // namespace tascade::planner
