#include "planner/python_numbers.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace tascade::planner {

double py_round(double x, int digits) {
  if (!std::isfinite(x))
    return x;
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return std::strtod(buf, nullptr);
}

std::string py_float_repr(double x) {
  if (std::isnan(x))
    return "NaN";
  if (std::isinf(x))
    return x > 0 ? "Infinity" : "-Infinity";
  if (x == 0)
    return std::signbit(x) ? "-0.0" : "0.0";
  // Shortest round-trip digits in scientific form: "d.ddde±XX".
  char sci[64];
  auto res = std::to_chars(sci, sci + sizeof sci, x, std::chars_format::scientific);
  std::string_view text(sci, static_cast<size_t>(res.ptr - sci));
  bool negative = text.front() == '-';
  if (negative)
    text.remove_prefix(1);
  auto e_pos = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e_pos))
    if (c != '.')
      digits.push_back(c);
  int exp10 = std::atoi(std::string(text.substr(e_pos + 1)).c_str());
  // Python's decpt: the value is 0.d1d2... × 10^decpt.
  int decpt = exp10 + 1;
  std::string out = negative ? "-" : "";
  if (decpt > -4 && decpt <= 16) {
    if (decpt <= 0) {
      out += "0.";
      out.append(static_cast<size_t>(-decpt), '0');
      out += digits;
    } else if (static_cast<size_t>(decpt) >= digits.size()) {
      out += digits;
      out.append(static_cast<size_t>(decpt) - digits.size(), '0');
      out += ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(decpt));
      out += '.';
      out += digits.substr(static_cast<size_t>(decpt));
    }
    return out;
  }
  out += digits.substr(0, 1);
  if (digits.size() > 1) {
    out += '.';
    out += digits.substr(1);
  }
  char exp_buf[16];
  std::snprintf(exp_buf, sizeof exp_buf, "e%c%02d", exp10 < 0 ? '-' : '+', std::abs(exp10));
  out += exp_buf;
  return out;
}

}  // namespace tascade::planner
