// `tascade plan` end to end: the real tool on files in a temporary directory.
#include "tests/planner/planner_samples.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <fstream>

namespace tascade::planner {
namespace {

namespace json = boost::json;

std::string write(const tascade::test::temp_dir& dir, const std::string& name,
                  const std::string& text) {
  auto path = (dir.path() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(PlannerCli, PrintsTheSummaryOfAPlan) {
  tascade::test::temp_dir dir;
  auto prd = write(dir, "prd.md", "# Overview\nThe service manages widgets.\n");
  auto contract = write(dir, "api.json", test::sample_contract_json);
  auto r = tascade::test::run_program(TASCADE_TOOL_PATH,
                                      {"plan", "--prd", prd, "--contract", contract, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto s = json::parse(r.out).as_object();
  EXPECT_EQ(s.at("tasks"), 5);
  EXPECT_EQ(s.at("edges"), 5);
  EXPECT_EQ(s.at("coverage").at("percent").as_double(), 100.0);
  EXPECT_EQ(s.at("contractHash"),
            "f2bbaf33ea3308f43b38ede6f2af41b1ea841557a9520638dbf5a144c948f839");
  auto text = tascade::test::run_program(TASCADE_TOOL_PATH,
                                         {"plan", "--prd", prd, "--contract", contract});
  ASSERT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("plan: 5 tasks, 5 edges"), std::string::npos) << text.out;
}

TEST(PlannerCli, AnInvalidContractNamesTheBadPart) {
  tascade::test::temp_dir dir;
  auto prd = write(dir, "prd.md", "# Overview\n");
  auto contract = write(dir, "api.yaml", "openapi: 3.1.0\npaths: {}\n");
  auto r = tascade::test::run_program(TASCADE_TOOL_PATH,
                                      {"plan", "--prd", prd, "--contract", contract});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("contract invalid at /info"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace tascade::planner
