#include "planner/python_json.hpp"
#include "planner/python_numbers.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tascade::planner {
namespace {

TEST(PlannerPythonNumbers, RoundsTheExactBinaryValueTiesToEven) {
  EXPECT_EQ(py_round(3.15, 1), 3.1);  // 3.15 is stored as 3.1499…
  EXPECT_EQ(py_round(5.65, 1), 5.7);
  EXPECT_EQ(py_round(5.15, 1), 5.2);
  EXPECT_EQ(py_round(0.7175, 2), 0.72);
  EXPECT_EQ(py_round(0.5449999, 2), 0.54);
  EXPECT_EQ(py_round(45.5 * 0.95, 3), 43.225);
  EXPECT_EQ(py_round(0.125, 2), 0.12);  // an exact tie goes to the even digit
  EXPECT_EQ(py_round(0.375, 2), 0.38);
}

TEST(PlannerPythonNumbers, FloatReprMatchesPython) {
  EXPECT_EQ(py_float_repr(0.1), "0.1");
  EXPECT_EQ(py_float_repr(45.5), "45.5");
  EXPECT_EQ(py_float_repr(39.0), "39.0");
  EXPECT_EQ(py_float_repr(0.0), "0.0");
  EXPECT_EQ(py_float_repr(1e16), "1e+16");
  EXPECT_EQ(py_float_repr(1e15), "1000000000000000.0");
  EXPECT_EQ(py_float_repr(1e-05), "1e-05");
  EXPECT_EQ(py_float_repr(0.0001), "0.0001");
  EXPECT_EQ(py_float_repr(1.5e16), "1.5e+16");
  EXPECT_EQ(py_float_repr(-2.5), "-2.5");
  EXPECT_EQ(py_float_repr(1.4142135623730951), "1.4142135623730951");
  EXPECT_EQ(py_float_repr(123456789012.5), "123456789012.5");
}

TEST(PlannerPythonJson, SortedDumpsUsesPythonSeparatorsAndEscapes) {
  auto v = boost::json::parse(R"({"b":[1,2.0,"/x"],"a":{"z":null,"é":true},"c":"\u00e9\n😀"})");
  EXPECT_EQ(
    py_dumps_sorted(v),
    R"({"a": {"z": null, "\u00e9": true}, "b": [1, 2.0, "/x"], "c": "\u00e9\n\ud83d\ude00"})");
  EXPECT_EQ(
    py_dumps(v),
    R"({"b": [1, 2.0, "/x"], "a": {"z": null, "\u00e9": true}, "c": "\u00e9\n\ud83d\ude00"})");
}

}  // namespace
}  // namespace tascade::planner
