#include "planner/candidate_search.hpp"

#include "planner/python_numbers.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <numeric>

namespace tascade::planner {

namespace json = boost::json;

uint64_t splitmix64(uint64_t x) {
  uint64_t z = x + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t seed_from_hash(std::string_view contract_hash) {
  uint64_t seed = 0;
  auto digits = contract_hash.substr(0, std::min<size_t>(16, contract_hash.size()));
  std::from_chars(digits.data(), digits.data() + digits.size(), seed, 16);
  return seed;
}

double static_value(const budgeted_plan& plan, const std::vector<node_complexity>& scores,
                    bool coverage_complete, bool acyclic) {
  if (!coverage_complete || !acyclic || !plan.violations.empty() || scores.empty())
    return 0;
  double ccs = 0, slack = 0, confidence = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    ccs += scores[i].ccs;
    confidence += scores[i].confidence;
    slack += 1.0 - static_cast<double>(plan.budgets[i]) / static_cast<double>(plan.capacity);
  }
  auto n = static_cast<double>(scores.size());
  return 0.5 * (1.0 - (ccs / n) / 100.0) + 0.3 * (slack / n) + 0.2 * (confidence / n);
}

std::vector<candidate_row> parity_candidates(double plan_score, size_t nodes,
                                             const planner_settings& settings) {
  std::vector<candidate_row> rows;
  const double factors[] = {1.0, 0.95, 0.9};
  for (int r = 1; r <= 3; ++r) {
    candidate_row row;
    row.rank = r;
    row.value = py_round(factors[r - 1] * plan_score, 3);
    row.params = {{"ucb1_c", settings.ucb1_c}, {"iterations", settings.search_max_iters}};
    row.trace = {{"nodes", nodes}, {"expansions", 3 + r}};
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<candidate_row> ucb1_search(const std::vector<candidate_eval>& candidates, uint64_t seed,
                                       const planner_settings& settings) {
  auto k = candidates.size();
  std::vector<long> visits(k, 0);
  std::vector<double> sums(k, 0);
  auto start = std::chrono::steady_clock::now();
  int run = 0;
  for (int t = 1; t <= settings.search_max_iters && k > 0; ++t) {
    auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::steady_clock::now() - start).count();
    if (elapsed > settings.search_walltime_ms)
      break;
    size_t arm = k;
    for (size_t i = 0; i < k && arm == k; ++i)
      if (visits[i] == 0)
        arm = i;
    if (arm == k) {
      double total = static_cast<double>(std::accumulate(visits.begin(), visits.end(), 0L));
      double best = -1e300;
      for (size_t i = 0; i < k; ++i) {
        double n = static_cast<double>(visits[i]);
        double ucb = sums[i] / n + settings.ucb1_c * std::sqrt(std::log(total) / n);
        if (ucb > best) {
          best = ucb;
          arm = i;
        }
      }
    }
    uint64_t x = seed ^ (static_cast<uint64_t>(t) * 1000003ULL) ^ static_cast<uint64_t>(arm);
    double u = static_cast<double>(splitmix64(x) >> 11) / 9007199254740992.0;
    double reward = candidates[arm].static_value + 0.05 * (2.0 * u - 1.0);
    ++visits[arm];
    sums[arm] += reward;
    run = t;
  }
  std::vector<size_t> order(k);
  std::iota(order.begin(), order.end(), 0);
  auto mean = [&](size_t i) { return visits[i] ? sums[i] / static_cast<double>(visits[i]) : 0.0; };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (mean(a) != mean(b))
      return mean(a) > mean(b);
    if (visits[a] != visits[b])
      return visits[a] > visits[b];
    return a < b;
  });
  auto seed_text = std::to_string(seed);
  std::vector<candidate_row> rows;
  for (size_t r = 0; r < k; ++r) {
    auto i = order[r];
    std::string variant(to_string(candidates[i].variant));
    candidate_row row;
    row.index = i;
    row.rank = static_cast<int>(r + 1);
    row.value = py_round(mean(i), 3);
    row.params = {{"ucb1_c", settings.ucb1_c},
                  {"iterations", settings.search_max_iters},
                  {"seed", seed_text},
                  {"variant", variant}};
    row.trace = {{"nodes", candidates[i].nodes},   {"expansions", visits[i]},
                 {"visits", visits[i]},            {"valueSum", sums[i]},
                 {"meanValue", mean(i)},           {"staticValue", candidates[i].static_value},
                 {"variant", variant},             {"iterations", run},
                 {"seed", seed_text}};
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace tascade::planner
