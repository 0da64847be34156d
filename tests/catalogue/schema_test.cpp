#include "catalogue/schema.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace tascade::catalogue {
namespace {

namespace json = boost::json;

std::vector<field_spec> fields() {
  field_spec name{.name = "name", .required = true, .min_length = 1};
  field_spec count{.name = "count", .type = field_type::integer, .default_value = 7};
  field_spec tags{.name = "tags", .type = field_type::string_array};
  field_spec mode{.name = "mode", .enum_values = {"pull", "directed"}, .default_value = "pull"};
  field_spec parent{.name = "parent", .nullable = true};
  return {name, count, tags, mode, parent};
}

std::vector<std::string> problem_types(json::object input, bool strict = false) {
  std::vector<std::string> out;
  for (auto& p : validate_input(fields(), input, strict))
    out.push_back(p.type + ":" + p.field);
  return out;
}

TEST(InputSchema, ValidInputGetsDefaults) {
  json::object in{{"name", "x"}};
  EXPECT_TRUE(validate_input(fields(), in).empty());
  EXPECT_EQ(in.at("count").as_int64(), 7);
  EXPECT_EQ(in.at("mode").as_string(), "pull");
  EXPECT_TRUE(in.at("parent").is_null());
  EXPECT_TRUE(in.at("tags").is_null());
}

TEST(InputSchema, EachKindOfProblemIsNamed) {
  EXPECT_EQ(problem_types({}), std::vector<std::string>{"missing:name"});
  EXPECT_EQ(problem_types({{"name", ""}}), std::vector<std::string>{"string_too_short:name"});
  EXPECT_EQ(problem_types({{"name", 5}}), std::vector<std::string>{"string_type:name"});
  EXPECT_EQ(problem_types({{"name", "x"}, {"count", "7"}}),
            std::vector<std::string>{"integer_type:count"});
  EXPECT_EQ(problem_types({{"name", "x"}, {"count", 1.5}}),
            std::vector<std::string>{"integer_type:count"});
  EXPECT_EQ(problem_types({{"name", "x"}, {"tags", {"a", 1}}}),
            std::vector<std::string>{"array_type:tags"});
  EXPECT_EQ(problem_types({{"name", "x"}, {"mode", "push"}}),
            std::vector<std::string>{"enum:mode"});
  EXPECT_EQ(problem_types({{"name", nullptr}}), std::vector<std::string>{"null_forbidden:name"});
  EXPECT_EQ(problem_types({{"name", "x"}, {"colour", "red"}}, true),
            std::vector<std::string>{"extra_forbidden:colour"});
}

TEST(InputSchema, UnknownFieldsAreIgnoredUnlessStrict) {
  json::object in{{"name", "x"}, {"colour", "red"}, {"shape", {{"sides", 3}}}};
  EXPECT_TRUE(validate_input(fields(), in).empty());
  EXPECT_FALSE(in.contains("colour"));  // the handler never sees it
  EXPECT_FALSE(in.contains("shape"));
  EXPECT_EQ(in.at("name").as_string(), "x");
  // An unknown field never hides a real problem.
  EXPECT_EQ(problem_types({{"colour", "red"}}), std::vector<std::string>{"missing:name"});
  EXPECT_EQ(problem_types({{"colour", "red"}}, true),
            (std::vector<std::string>{"extra_forbidden:colour", "missing:name"}));
}

TEST(InputSchema, BodyRepeatingAPathParameterMustAgreeWithIt) {
  std::vector<field_spec> spec{
    {.name = "project_id", .in = param_in::path, .required = true},
    {.name = "limit", .type = field_type::integer, .in = param_in::query},
    {.name = "name", .required = true}};
  std::unordered_map<std::string, std::string> path{{"project_id", "abc-DEF"}};
  json::object same{{"project_id", "abc-def"}, {"name", "x"}};
  EXPECT_TRUE(reconcile_body(spec, same, path).empty());
  json::object other{{"project_id", "xyz"}, {"name", "x"}};
  auto problems = reconcile_body(spec, other, path);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].type, "path_mismatch");
  EXPECT_EQ(problems[0].field, "project_id");
  json::object not_text{{"project_id", 5}};
  EXPECT_EQ(reconcile_body(spec, not_text, path).size(), 1u);
  // A query parameter in the body is ignored, or refused in strict mode.
  json::object query{{"limit", 3}, {"name", "x"}};
  EXPECT_TRUE(reconcile_body(spec, query, path).empty());
  EXPECT_FALSE(query.contains("limit"));
  json::object strict_query{{"limit", 3}};
  EXPECT_EQ(reconcile_body(spec, strict_query, path, true).at(0).type, "extra_forbidden");
}

TEST(InputSchema, ValidationBodyHasDetailAndEnvelope) {
  json::object in{};
  auto body = validation_body(validate_input(fields(), in));
  auto& detail = body.at("detail").as_array();
  ASSERT_EQ(detail.size(), 1u);
  EXPECT_EQ(detail[0].at("loc"), (json::array{"body", "name"}));
  EXPECT_EQ(body.at("error").at("code").as_string(), "VALIDATION_ERROR");
}

TEST(InputSchema, QueryTextConvertsBySpecRules) {
  field_spec flag{.name = "flag", .type = field_type::boolean, .in = param_in::query};
  field_spec n{.name = "n", .type = field_type::integer, .in = param_in::query};
  json::value v;
  for (auto yes : {"true", "T", "1", "yes", "Y", "on"}) {
    ASSERT_TRUE(convert_text(flag, yes, v)) << yes;
    EXPECT_EQ(v, json::value(true));
  }
  for (auto no : {"false", "f", "0", "NO", "n", "off"}) {
    ASSERT_TRUE(convert_text(flag, no, v)) << no;
    EXPECT_EQ(v, json::value(false));
  }
  EXPECT_FALSE(convert_text(flag, "maybe", v));
  EXPECT_TRUE(convert_text(n, "-12", v));
  EXPECT_EQ(v, json::value(-12));
  EXPECT_FALSE(convert_text(n, "12abc", v));
  EXPECT_FALSE(convert_text(n, "", v));
}

TEST(InputSchema, JsonSchemaDescribesTheSameFields) {
  auto s = input_schema(fields());
  EXPECT_EQ(s.at("required"), json::array{"name"});
  EXPECT_FALSE(s.contains("additionalProperties"));  // other properties are ignored
  EXPECT_EQ(input_schema(fields(), true).at("additionalProperties"), json::value(false));
  auto& props = s.at("properties").as_object();
  EXPECT_EQ(props.at("name").at("minLength").as_uint64(), 1u);
  EXPECT_EQ(props.at("tags").at("items").at("type").as_string(), "string");
  EXPECT_EQ(props.at("mode").at("enum"), (json::array{"pull", "directed"}));
  EXPECT_EQ(props.at("parent").at("type"), (json::array{"string", "null"}));
}

}  // namespace
}  // namespace tascade::catalogue
