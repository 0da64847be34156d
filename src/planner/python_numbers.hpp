#pragma once
/// Numbers the way the reference planner's Python writes them (spec §13.1, §13.2): rounding to N
/// decimals of the exact binary value with ties to even, and `repr` of a float.

#include <string>

namespace tascade::planner {

/// Python's `round(x, digits)`: the nearest decimal with `digits` places to the exact binary value
/// of `x`, exact ties to the even digit (glibc's `%.Nf` rounds exactly), parsed back to a double.
double py_round(double x, int digits);

/// Python's `repr(x)` of a float: the shortest text that round-trips, fixed notation when the
/// decimal exponent lies in [-4, 16), otherwise `1e+16` / `1e-05`; an integral value keeps `.0`.
std::string py_float_repr(double x);

}  // namespace tascade::planner
