#pragma once
/// A fresh directory for a benchmark's data, removed when it goes out of scope unless the user
/// named the directory (`--dir`), in which case it is kept for inspection.

#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace tascade::bench {

class scratch_dir {
 public:
  explicit scratch_dir(const std::string& given = {}) : keep_(!given.empty()) {
    if (keep_) {
      path_ = given;
      std::filesystem::create_directories(path_);
      return;
    }
    auto base = std::filesystem::temp_directory_path() / "tascade-bench-XXXXXX";
    std::string pattern = base.string();
    if (!mkdtemp(pattern.data()))
      throw std::runtime_error("cannot create a scratch directory under " + base.string());
    path_ = pattern;
  }
  ~scratch_dir() {
    std::error_code ec;
    if (!keep_)
      std::filesystem::remove_all(path_, ec);
  }
  scratch_dir(const scratch_dir&) = delete;
  scratch_dir& operator=(const scratch_dir&) = delete;

  /// A subdirectory name inside this one (not created).
  std::string sub(const std::string& name) const { return (path_ / name).string(); }
  std::string str() const { return path_.string(); }

 private:
  std::filesystem::path path_;
  bool keep_;
};

}  // namespace tascade::bench
