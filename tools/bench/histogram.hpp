#pragma once
/// A latency histogram in the HDR style: log-linear buckets (every power of two split into 64
/// linear steps), so any recorded value is kept to within ~1.6% at constant memory and
/// percentiles come from counts, never from averages. Values are microseconds.

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <string>

namespace tascade::bench {

class histogram {
 public:
  static constexpr int sub_bits = 6;  // 64 steps per power of two
  static constexpr int sub_count = 1 << sub_bits;
  static constexpr int magnitudes = 40;  // up to ~2^40 µs, far beyond any run

  void record(uint64_t micros) {
    ++counts_[index_of(micros)];
    ++total_;
    max_ = std::max(max_, micros);
  }

  void merge(const histogram& o) {
    for (size_t i = 0; i < counts_.size(); ++i)
      counts_[i] += o.counts_[i];
    total_ += o.total_;
    max_ = std::max(max_, o.max_);
  }

  uint64_t count() const { return total_; }
  uint64_t max() const { return max_; }

  /// The smallest recorded bucket value below which `q` (0..1) of the values lie.
  uint64_t percentile(double q) const {
    if (total_ == 0)
      return 0;
    auto rank = static_cast<uint64_t>(q * double(total_ - 1)) + 1;
    uint64_t seen = 0;
    for (size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= rank)
        return std::min(upper_of(i), max_);
    }
    return max_;
  }

 private:
  // Values below 128 are exact; above, a value v with bit width b keeps its top 7 bits.
  static size_t index_of(uint64_t v) {
    if (v < 2 * sub_count)
      return size_t(v);
    auto m = std::bit_width(v) - (sub_bits + 1);
    auto idx = size_t(m) * sub_count + size_t(v >> m);
    return std::min(idx, size_t(magnitudes * sub_count - 1));
  }
  static uint64_t upper_of(size_t idx) {
    if (idx < 2 * sub_count)
      return idx;
    auto m = idx / sub_count - 1;
    auto step = idx % sub_count + sub_count;
    return ((uint64_t(step) + 1) << m) - 1;
  }

  std::array<uint64_t, magnitudes * sub_count> counts_{};
  uint64_t total_ = 0;
  uint64_t max_ = 0;
};

}  // namespace tascade::bench
