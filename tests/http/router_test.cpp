#include "http/router.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tascade::http {
namespace {

operation op(std::string name, std::string method, std::string path) {
  operation o;
  o.name = std::move(name);
  o.method = std::move(method);
  o.path = std::move(path);
  return o;
}

struct RouterTest : ::testing::Test {
  std::vector<operation> ops{op("get_task", "GET", "/v1/tasks/{task_id}"),
                             op("ready", "GET", "/v1/tasks/ready"),
                             op("heartbeat", "POST", "/v1/tasks/{task_id}/heartbeat"),
                             op("graph", "GET", "/v1/projects/{project_id}/graph"),
                             op("health", "GET", "/health")};
  router routes{ops};
};

TEST_F(RouterTest, ALiteralSegmentWinsOverAParameter) {
  auto m = routes.match("GET", "/v1/tasks/ready");
  ASSERT_NE(m.op, nullptr);
  EXPECT_EQ(m.op->name, "ready");
  EXPECT_TRUE(m.path_params.empty());
  m = routes.match("GET", "/v1/tasks/P1.M1.T3");
  ASSERT_NE(m.op, nullptr);
  EXPECT_EQ(m.op->name, "get_task");
  EXPECT_EQ(m.path_params.at("task_id"), "P1.M1.T3");
}

TEST_F(RouterTest, ParametersArePercentDecodedAndEmptySegmentsIgnored) {
  auto m = routes.match("POST", "//v1/tasks/a%2Fb%20c/heartbeat/");
  ASSERT_NE(m.op, nullptr);
  EXPECT_EQ(m.op->name, "heartbeat");
  EXPECT_EQ(m.path_params.at("task_id"), "a/b c");
}

TEST_F(RouterTest, AKnownPathWithAnotherMethodIs405AndAnUnknownOne404) {
  auto m = routes.match("POST", "/v1/projects/p/graph");
  EXPECT_EQ(m.op, nullptr);
  EXPECT_TRUE(m.method_mismatch);
  m = routes.match("GET", "/v1/projects/p/nothing");
  EXPECT_EQ(m.op, nullptr);
  EXPECT_FALSE(m.method_mismatch);
  m = routes.match("GET", "/a/b/c/d/e/f/g/h/i/j/k");  // longer than any route
  EXPECT_EQ(m.op, nullptr);
  EXPECT_FALSE(m.method_mismatch);
  EXPECT_EQ(routes.match("GET", "/").op, nullptr);
  EXPECT_EQ(routes.match("GET", "/health").op->name, "health");
}

}  // namespace
}  // namespace tascade::http
