#pragma once
/// `--name value` and `--switch` arguments of the bench subcommands.

#include "tascade/text_list.hpp"

#include <cstdlib>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace tascade::bench {

class flags {
 public:
  /// `switches` take no value. Throws std::invalid_argument on a malformed list.
  flags(const std::vector<std::string>& args, std::vector<std::string> switches = {}) {
    for (size_t i = 0; i < args.size(); ++i) {
      const auto& a = args[i];
      if (a.rfind("--", 0) != 0)
        throw std::invalid_argument("unexpected argument '" + a + "'");
      bool is_switch = false;
      for (auto& s : switches)
        is_switch = is_switch || s == a;
      if (is_switch) {
        values_[a] = "1";
      } else {
        if (i + 1 >= args.size())
          throw std::invalid_argument(a + " needs a value");
        values_[a] = args[++i];
      }
    }
  }
  bool has(const std::string& name) const { return values_.count(name) != 0; }
  std::string text(const std::string& name, const std::string& fallback) const {
    auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
  }
  long long integer(const std::string& name, long long fallback) const {
    auto it = values_.find(name);
    if (it == values_.end())
      return fallback;
    char* end = nullptr;
    auto v = std::strtoll(it->second.c_str(), &end, 10);
    if (!end || *end)
      throw std::invalid_argument(name + " needs an integer, got '" + it->second + "'");
    return v;
  }
  std::vector<long long> integers(const std::string& name, std::vector<long long> fallback) const {
    auto it = values_.find(name);
    if (it == values_.end())
      return fallback;
    std::vector<long long> out;
    for (auto& item : split_list(it->second))
      out.push_back(std::strtoll(item.c_str(), nullptr, 10));
    return out;
  }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace tascade::bench
