// End-to-end faults (issue 16): SIGKILL under write load (through `tascade crash-test`), and a
// full disk. Nothing acknowledged is lost, a retried request never runs twice, a write the log
// could not make durable is refused with 503 (retryable) instead of acknowledged, reads keep
// working, and writes work again once space is freed, without a restart.

#include "tests/support/fixtures.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace tascade::test {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;

// The last line of `text` that is not empty.
std::string last_line(const std::string& text) {
  auto end = text.find_last_not_of('\n');
  if (end == std::string::npos)
    return {};
  auto begin = text.rfind('\n', end);
  return text.substr(begin == std::string::npos ? 0 : begin + 1, end + 1 - (begin + 1));
}

TEST(Faults, CrashUnderLoadLosesNothingAcknowledgedAndNeverRunsARetryTwice) {
  // Three cycles of: 4 writers creating tasks, SIGKILL at a random moment, restart, retry the
  // unanswered requests with their keys, compare; then `replay verify` over the whole log.
  auto r = run_program(TASCADE_TOOL_PATH, {"crash-test", "--cycles", "3", "--writers", "4"});
  ASSERT_EQ(r.exit_code, 0) << r.out << "\n" << r.err;
  auto figures = json::parse(last_line(r.out)).as_object();
  EXPECT_EQ(figures.at("cycles").as_int64(), 3);
  EXPECT_GT(figures.at("acknowledged").as_int64(), 0);
  EXPECT_EQ(figures.at("lost").as_int64(), 0) << r.out;
  EXPECT_EQ(figures.at("run_twice").as_int64(), 0) << r.out;
  EXPECT_EQ(figures.at("retry_failed").as_int64(), 0) << r.out;
  EXPECT_TRUE(figures.at("verified").as_bool()) << r.out;
  EXPECT_GE(figures.at("log_events").as_int64(), figures.at("acknowledged").as_int64());
}

// A size-limited tmpfs mounted on a fresh directory (the tests run as root; a machine where
// mounting is impossible fails this test loudly instead of skipping it).
class small_disk {
 public:
  explicit small_disk(const fs::path& where, const std::string& size) : where_(where) {
    fs::create_directories(where_);
    auto options = "size=" + size;
    if (::mount("tascade-test", where_.c_str(), "tmpfs", 0, options.c_str()) != 0)
      throw std::runtime_error("cannot mount a " + size + " tmpfs on " + where_.string() + ": " +
                               std::strerror(errno) +
                               " (the disk-full test needs root or CAP_SYS_ADMIN)");
  }
  ~small_disk() { ::umount2(where_.c_str(), MNT_DETACH); }
  small_disk(const small_disk&) = delete;
  small_disk& operator=(const small_disk&) = delete;

  // Fills every free byte with `name`.
  void fill(const std::string& name) {
    std::ofstream out(where_ / name, std::ios::binary);
    std::string chunk(1 << 16, 'x');
    while (out.write(chunk.data(), std::streamsize(chunk.size())) && out.flush()) {
    }
  }
  void free(const std::string& name) { fs::remove(where_ / name); }

 private:
  fs::path where_;
};

// A description of about `bytes` random hex characters: it does not compress.
std::string noise(size_t bytes, uint64_t seed) {
  std::mt19937_64 rng(seed);
  static const char hex[] = "0123456789abcdef";
  std::string out(bytes, '0');
  for (auto& ch : out)
    ch = hex[rng() & 15];
  return out;
}

std::set<std::string> titles(http_client& c, const std::string& project) {
  std::set<std::string> out;
  for (int offset = 0;; offset += 1000) {
    auto page = expect_object(c.get("/v1/tasks?project_id=" + project + "&limit=1000&offset=" +
                                     std::to_string(offset)),
                              200, "list tasks");
    auto& items = page.at("items").as_array();
    for (auto& t : items)
      out.insert(std::string(t.as_object().at("title").as_string()));
    if (items.size() < 1000)
      return out;
  }
}

TEST(Faults, AFullDiskRefusesWritesWith503KeepsReadsAndRecoversWhenSpaceIsFreed) {
  temp_dir root;
  small_disk disk(root.path() / "disk", "160m");
  auto data = (root.path() / "disk" / "db").string();
  std::set<std::string> acknowledged;
  std::string project;
  {
    server_process server(data, {"--checkpoint-every", "0"});
    auto c = server.client();
    auto h = setup_h(c, "Disk full");
    project = h.project;
    for (int i = 0; i < 3; ++i)
      acknowledged.insert(str(create_task(c, h.project, h.milestone, "before " + std::to_string(i)),
                              "title"));

    disk.fill("filler");
    // Large writes use up what RocksDB had set aside; then the log cannot write.
    http_response refused;
    for (int i = 0; i < 2000 && refused.status == 0; ++i) {
      auto title = "while full " + std::to_string(i);
      auto r = c.post("/v1/tasks", task_body(h.project, h.milestone, title,
                                             {{"description", noise(300'000, uint64_t(i))}}));
      if (r.status == 201)
        acknowledged.insert(title);
      else
        refused = r;
    }
    ASSERT_EQ(refused.status, 503) << refused.body;
    auto body = refused.json();
    auto& error = body.at("error").as_object();
    EXPECT_EQ(error.at("code").as_string(), "STORAGE_FAILURE");
    EXPECT_TRUE(error.at("retryable").as_bool());
    EXPECT_EQ(std::string(error.at("message").as_string()).find(data), std::string::npos)
      << "the message names a server path: " << refused.body;
    // A second write is refused too (nothing half-applied in between), and reads still work.
    auto again = c.post("/v1/tasks", task_body(h.project, h.milestone, "still full"));
    EXPECT_EQ(again.status, 503) << again.body;
    EXPECT_EQ(c.get("/health").status, 200);
    EXPECT_EQ(titles(c, h.project), acknowledged);

    // Space comes back: the next write works, without a restart.
    disk.free("filler");
    auto after = c.post("/v1/tasks", task_body(h.project, h.milestone, "after freeing"));
    ASSERT_EQ(after.status, 201) << after.body;
    acknowledged.insert("after freeing");
    EXPECT_EQ(titles(c, h.project), acknowledged);
    server.kill_hard();
  }
  // Everything acknowledged is in the log after a crash, and the log verifies.
  server_process server(data);
  auto c = server.client();
  EXPECT_EQ(titles(c, project), acknowledged);
  server.kill_hard();
  auto verified = run_tool_json({"replay", "verify", "--data", data});
  EXPECT_EQ(verified.at("ok"), json::value(true)) << json::serialize(verified);
}

}  // namespace
}  // namespace tascade::test
